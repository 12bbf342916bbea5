package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OpenRPC document, loaded once: its bytes are served as they are, and each method's params become one
 * compiled JSON Schema (an object with the params as properties, the required ones required, nothing else
 * allowed), so the document is the single source of truth for parameter checking.
 */
public final class OpenRpcContract {
    public static final String RESOURCE = "/openrpc/service_manager.openrpc.json";

    private final byte[] raw;
    private final JsonNode document;
    private final Map<String, JsonSchema> paramSchemas;

    private OpenRpcContract(byte[] raw, JsonNode document, Map<String, JsonSchema> paramSchemas) {
        this.raw = raw;
        this.document = document;
        this.paramSchemas = paramSchemas;
    }

    public static OpenRpcContract load(ObjectMapper mapper) {
        try (InputStream in = OpenRpcContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("OpenRPC document missing from the jar: " + RESOURCE);
            byte[] raw = in.readAllBytes();
            return parse(mapper, raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static OpenRpcContract parse(ObjectMapper mapper, byte[] raw) throws IOException {
        JsonNode doc = mapper.readTree(raw);
        // "components" sits at the root of each params schema only so that $refs resolve: not a keyword to validate
        JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new NonValidationKeyword("components")).build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.metaSchema(meta));
        Map<String, JsonSchema> schemas = new LinkedHashMap<>();
        for (JsonNode method : doc.path("methods")) {
            String name = method.path("name").asText();
            schemas.put(name, factory.getSchema(paramsSchema(mapper, doc, method)));
        }
        return new OpenRpcContract(raw, doc, Map.copyOf(schemas));
    }

    private static JsonNode paramsSchema(ObjectMapper mapper, JsonNode doc, JsonNode method) {
        ObjectNode schema = mapper.createObjectNode();
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (JsonNode p : method.path("params")) {
            JsonNode param = resolve(doc, p);
            props.set(param.path("name").asText(), param.path("schema"));
            if (param.path("required").asBoolean(false)) required.add(param.path("name").asText());
        }
        schema.put("additionalProperties", false);
        // the param schemas may $ref "#/components/...": give them the document's components at the root
        schema.set("components", doc.path("components"));
        return schema;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : doc.at(ref.asText().substring(1));
    }

    public byte[] raw() {
        return raw.clone();
    }

    public JsonNode document() {
        return document;
    }

    public Set<String> methodNames() {
        return paramSchemas.keySet();
    }

    /** @throws RpcException -32602 with every problem, each naming its field, when the params do not fit */
    public void validateParams(String method, JsonNode params) {
        JsonSchema schema = paramSchemas.get(method);
        Set<ValidationMessage> problems = schema.validate(params);
        if (!problems.isEmpty()) {
            String msg = problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
            throw new RpcException(RpcException.INVALID_PARAMS, "invalid params for " + method + ": " + msg);
        }
    }
}
