package heromgr.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The code's table of error codes is the OpenRPC document's: same names, same numbers; the meanings are the document's alone. */
class ErrorCodeTest {
    @Test
    void theEnumHoldsExactlyTheDocumentsCodes() throws IOException {
        Map<String, Integer> documented = DocumentedError.all().stream()
                .collect(Collectors.toMap(DocumentedError::name, DocumentedError::code));
        Map<String, Integer> enumerated = Arrays.stream(ErrorCode.values())
                .collect(Collectors.toMap(DocumentedError::nameOf, ErrorCode::code));
        assertThat(enumerated).as("ErrorCode (PascalCase name → code) against the document's components/errors")
                .isEqualTo(documented);
    }

    @Test
    void theDocumentGivesEveryCodeAMeaningAndANumberOfItsOwn() throws IOException {
        var errors = DocumentedError.all();
        for (DocumentedError e : errors) assertThat(e.meaning()).as(e.name()).isNotBlank();
        assertThat(errors.stream().map(DocumentedError::code).distinct().count()).isEqualTo(errors.size());
    }

    @Test
    void aReceivedErrorKeepsItsNumberEvenWhenTheTableLacksIt() {
        ApiException known = ApiException.received(-32001, "no such service: x", null);
        assertThat(known.code()).isEqualTo(ErrorCode.SERVICE_NOT_FOUND);
        assertThat(known.number()).isEqualTo(-32001);
        ApiException newer = ApiException.received(-32099, "a newer daemon's code", null);
        assertThat(newer.code()).isNull();
        assertThat(newer.number()).isEqualTo(-32099);
    }
}
