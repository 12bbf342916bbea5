package heromgr.server.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --http takes a loopback address and a port; anything else is refused with the reason, and no name goes to DNS. */
class LoopbackAddressTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1:0, 127.0.0.1:0", "127.0.0.1:8080, 127.0.0.1:8080", "localhost:9000, 127.0.0.1:9000",
            "127.1.2.3:1, 127.1.2.3:1", "'[::1]:0', '[0:0:0:0:0:0:0:1]:0'"})
    void loopbackAddressesAreTaken(String given, String read) {
        assertThat(LoopbackAddress.parse(given)).hasToString(read);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0:8080|not a loopback address", "192.168.1.20:80|not a loopback address", "[::]:80|not a loopback address",
            "example.com:80|not a loopback address", "127.0.0.1|expected HOST:PORT", "127.0.0.1:http|the port is not a number",
            "127.0.0.1:70000|not in 0..65535"})
    void anythingElseIsRefusedWithTheReason(String given, String why) {
        assertThatThrownBy(() -> LoopbackAddress.parse(given)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(given).hasMessageContaining(why);
    }
}
