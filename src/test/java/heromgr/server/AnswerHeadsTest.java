package heromgr.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerHeadsTest {
    static final String DATE = "Sun, 06 Dec 2026 19:12:00 GMT";
    static final RpcConnection.AnswerHeads HEADS = RpcConnection.AnswerHeads.dated(new PreEncodedHttpField(HttpHeader.DATE, DATE));

    static String text(ByteBuffer head) {
        return StandardCharsets.US_ASCII.decode(head).toString();
    }

    @Test
    void aJsonAnswerCarriesItsTypeAndLength() {
        for (int length : new int[] {0, 7, 10, 99, 3614, 1_048_576}) {
            assertThat(text(HEADS.head(length, false))).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + DATE
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n");
        }
    }

    @Test
    void aNotificationsAnswerIsNoContentAndACloseIsSaid() {
        assertThat(text(HEADS.head(-1, false))).isEqualTo("HTTP/1.1 204 No Content\r\nDate: " + DATE + "\r\n\r\n");
        assertThat(text(HEADS.head(-1, true))).isEqualTo("HTTP/1.1 204 No Content\r\nDate: " + DATE + "\r\nConnection: close\r\n\r\n");
        assertThat(text(HEADS.head(12, true))).endsWith("Content-Length: 12\r\nConnection: close\r\n\r\n");
    }
}
