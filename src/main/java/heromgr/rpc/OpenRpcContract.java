package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The OpenRPC document, loaded once: its bytes are served as they are, and each method's params become one
 * JSON Schema (an object with the params as properties, the required ones required, nothing else allowed), compiled
 * on first use, so the document is the single source of truth for parameter checking. The {@code default} in a
 * param's schema is the value a call that leaves the param out gets ({@link #withDefaults}).
 */
public final class OpenRpcContract {
    public static final String RESOURCE = "/openrpc/service_manager.openrpc.json";
    /** The extension naming what a method needs: "read" or "operate". */
    public static final String ACCESS = "x-heromgr-access";

    /**
     * The schema validator, set up on first use: its meta-schemas and keyword tables were ~70 ms of a daemon's start
     * (class initialisation, interpreted), and params that fit never need it ({@link PlainParamsCheck}): it decides
     * and words what the hand check is not sure of. The AOT cache does not hold its classes (the training sends no
     * params the schema refuses), so the first call that needs it loads them from the jar: ~0.1 s, once.
     */
    private static final class Compiler {
        /** "components" sits at the root of each compiled schema only so that $refs resolve: not a keyword to validate. */
        static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .keyword(new NonValidationKeyword("components")).build()));
        /**
         * The document's patterns with ECMA-262's `$` (see SchemaPattern), on the defaults getSchema(node) uses (the
         * builder's own differ: JSON pointers instead of the `$.name` paths the CLI's ParamProblems reads).
         */
        @SuppressWarnings("deprecation")
        static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder(new SchemaValidatorsConfig())
                .regularExpressionFactory(ValidatorPatterns.FACTORY).build();

        static JsonSchema compile(JsonNode schema) {
            return FACTORY.getSchema(schema, CONFIG);
        }
    }

    private final byte[] raw;
    private final JsonNode document;
    /** Per method, the schema of its params object, as built from the document; compiled on first use. */
    private final Map<String, JsonNode> paramSchemas;
    private final Map<String, JsonSchema> compiledParamSchemas = new ConcurrentHashMap<>();
    /** Per method, its params by name ($refs resolved), in the document's order. */
    private final Map<String, Map<String, JsonNode>> params;
    /** Per method, each param that has a default: name → default. Methods without any are absent. */
    private final Map<String, Map<String, JsonNode>> paramDefaults;
    /** Per method, what a caller needs to call it: its x-heromgr-access. */
    private final Map<String, Access> access;
    /**
     * The methods whose params are all plain (every one of the shipped document's), checked by hand before (instead
     * of, when valid) the schema walk.
     */
    private final Map<String, PlainParamsCheck> plainChecks;

    private OpenRpcContract(byte[] raw, JsonNode document, Map<String, JsonNode> paramSchemas,
                            Map<String, Map<String, JsonNode>> params, Map<String, Access> access) {
        this.raw = raw;
        this.access = access;
        this.document = document;
        this.paramSchemas = paramSchemas;
        this.params = params;
        Map<String, Map<String, JsonNode>> defaults = new LinkedHashMap<>();
        params.forEach((method, byName) -> {
            Map<String, JsonNode> given = new LinkedHashMap<>();
            byName.forEach((name, param) -> {
                JsonNode value = param.path("schema").get("default");
                if (value != null) given.put(name, value);
            });
            if (!given.isEmpty()) defaults.put(method, Collections.unmodifiableMap(given));
        });
        this.paramDefaults = Map.copyOf(defaults);
        Map<String, PlainParamsCheck> plain = new LinkedHashMap<>();
        params.forEach((method, byName) -> PlainParamsCheck.of(byName, document).ifPresent(check -> plain.put(method, check)));
        this.plainChecks = Map.copyOf(plain);
    }

    /** The jar's document as every daemon of this JVM serves it: loaded once, maybe ahead on a thread of its own. */
    private static final AtomicReference<CompletableFuture<OpenRpcContract>> SHARED = new AtomicReference<>();

    /**
     * Starts loading the shared contract on a thread of its own, unless that has begun: the document's parse then
     * overlaps the rest of the daemon's start-up instead of preceding its socket. Once the contract is handed over,
     * the same thread compiles the params schemas that have no hand check (~0.1 s under load, mostly the validator's
     * class initialisation) while the daemon sets up Jetty, so that they do not compete with the first calls; a schema
     * that does not compile is logged here and fails the calls that need it. With every method hand-checked (the
     * shipped document) it compiles none: a schema is compiled by the first call its hand check is not sure of.
     */
    public static void loadAhead() {
        sharedLoad(true);
    }

    /**
     * The contract of the jar's document, loaded with {@link JsonCodec#MAPPER} once per JVM (waiting for a load
     * {@link #loadAhead} began); a document that does not load throws here, as {@link #load} does.
     */
    public static OpenRpcContract shared() {
        try {
            return sharedLoad(false).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            if (e.getCause() instanceof Error cause) throw cause;
            throw e;
        }
    }

    private static CompletableFuture<OpenRpcContract> sharedLoad(boolean onThreadOfItsOwn) {
        var loading = new CompletableFuture<OpenRpcContract>();
        if (!SHARED.compareAndSet(null, loading)) return SHARED.get();
        if (!onThreadOfItsOwn) {
            completeLoad(loading);
            return loading;
        }
        Thread.ofPlatform().name("heromgr-contract").daemon().start(() -> {
            completeLoad(loading);
            if (loading.isCompletedExceptionally()) return;
            try {
                loading.join().compileSchemasWithoutHandCheck();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(OpenRpcContract.class).error("the OpenRPC document's params schemas do not compile", e);
            }
        });
        return loading;
    }

    private static void completeLoad(CompletableFuture<OpenRpcContract> loading) {
        try {
            loading.complete(load(JsonCodec.MAPPER));
        } catch (RuntimeException | Error e) {
            loading.completeExceptionally(e);
        }
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
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        Map<String, Map<String, JsonNode>> params = new LinkedHashMap<>();
        Map<String, Access> access = new LinkedHashMap<>();
        for (JsonNode method : doc.path("methods")) {
            String name = method.path("name").asText();
            access.put(name, accessOf(name, method));
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            for (JsonNode p : method.path("params")) {
                JsonNode param = resolve(doc, p);
                byName.put(param.path("name").asText(), param);
            }
            params.put(name, Collections.unmodifiableMap(byName));
            schemas.put(name, paramsSchema(mapper, doc, byName));
        }
        return new OpenRpcContract(raw, doc, Map.copyOf(schemas), Map.copyOf(params), Map.copyOf(access));
    }

    /** Every method says whether it only reads or changes something: a method that does not say is a broken document. */
    private static Access accessOf(String name, JsonNode method) {
        JsonNode word = method.get(ACCESS);
        if (word == null || !word.isTextual()) throw new IllegalStateException("method " + name + " has no " + ACCESS);
        try {
            return Access.ofWord(word.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("method " + name + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode paramsSchema(ObjectMapper mapper, JsonNode doc, Map<String, JsonNode> params) {
        ObjectNode schema = mapper.createObjectNode();
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        params.forEach((name, param) -> {
            props.set(name, param.path("schema"));
            if (param.path("required").asBoolean(false)) required.add(name);
        });
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

    /** A method's param descriptors by name, in the document's order (none for a method the document lacks). */
    public Map<String, JsonNode> params(String method) {
        return params.getOrDefault(method, Map.of());
    }

    /** What calling the method needs (the method is one of {@link #methodNames()}). */
    public Access access(String method) {
        return access.get(method);
    }

    /** The methods a caller with this grant may call, sorted: what the Admin UI asks GET /access for. */
    public List<String> callableWith(Access grant) {
        return access.entrySet().stream().filter(e -> grant.covers(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }

    /** The params of a method that have a default in the document, with their defaults. */
    public Map<String, JsonNode> paramDefaults(String method) {
        return paramDefaults.getOrDefault(method, Map.of());
    }

    /**
     * The params with each one the call left out that has a default set to it; the very node when nothing was left
     * out (the hot reads, list and status, have no defaults and copy nothing).
     */
    public JsonNode withDefaults(String method, JsonNode params) {
        ObjectNode filled = null;
        for (var d : paramDefaults(method).entrySet()) {
            if (params.has(d.getKey())) continue;
            if (filled == null) filled = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) params);
            filled.set(d.getKey(), d.getValue());
        }
        return filled == null ? params : filled;
    }

    /**
     * A schema of the document (a method's result, a component) compiled with the document's components beside it, so
     * its $refs resolve: what the fuzz tests check each answer against.
     */
    public JsonSchema compile(JsonNode schema) {
        ObjectNode rooted = JsonNodeFactory.instance.objectNode();
        rooted.set("allOf", JsonNodeFactory.instance.arrayNode().add(schema));
        rooted.set("components", document.path("components"));
        return Compiler.compile(rooted);
    }

    /** @throws ApiException INVALID_PARAMS with every problem, each naming its field, when the params do not fit */
    public void validateParams(String method, JsonNode params) {
        PlainParamsCheck plain = plainChecks.get(method);
        if (plain != null && plain.surelyValid(params)) return;
        Set<ValidationMessage> problems = schemaProblems(method, params);
        if (!problems.isEmpty()) {
            String msg = problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
            throw new ApiException(ErrorCode.INVALID_PARAMS, "invalid params for " + method + ": " + msg);
        }
    }

    /** What the JSON Schema validator finds wrong with a method's params (none: they fit). */
    Set<ValidationMessage> schemaProblems(String method, JsonNode params) {
        return compiledParamSchema(method).validate(params);
    }

    private JsonSchema compiledParamSchema(String method) {
        return compiledParamSchemas.computeIfAbsent(method, m -> Compiler.compile(paramSchemas.get(m)));
    }

    /**
     * Compiles every method's params schema not compiled yet. The daemon never calls this (a schema is compiled by the
     * first call that needs it); ContractTest does, so that a schema that does not compile fails a test, not a refusal.
     */
    void compileParamSchemas() {
        paramSchemas.keySet().forEach(this::compiledParamSchema);
    }

    /** Compiles the params schemas of the methods whose every call needs the validator: those without a hand check. */
    void compileSchemasWithoutHandCheck() {
        // a loop, not a method reference: a reference's type names JsonSchema, which loads the validator's classes
        for (String method : paramSchemas.keySet()) {
            if (!plainChecks.containsKey(method)) compiledParamSchema(method);
        }
    }

    /** The methods whose params schema is compiled so far. */
    Set<String> compiledMethods() {
        return Set.copyOf(compiledParamSchemas.keySet());
    }

    /** The hand check of a method's params, when they are all plain. */
    Optional<PlainParamsCheck> plainCheck(String method) {
        return Optional.ofNullable(plainChecks.get(method));
    }
}
