package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.Browser;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Admin UI in a real browser (Debian's chromium, headless) against a real daemon with real services: hero_echo
 * (built with cargo and installed) and a transient "pinger" that depends on it and writes a log line every 300 ms.
 * The steps run in order on one page session, one with the viewer token; each page's screenshot goes to
 * target/screenshots/, or to the README's docs/img/ when retaken on purpose ({@code -Dheromgr.screenshots=docs/img}):
 * a test run must not rewrite files under version control.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiTest {
    private static final Path SCREENSHOTS = Path.of(System.getProperty("heromgr.screenshots", "target/screenshots"));
    private static final By SPARKLINE = By.cssSelector(".check-row svg.spark polyline");
    /** Two points of a latency chart need two looks at /metrics with probes between them: hero_echo's come every 10 s. */
    private static final Duration PROBES = Duration.ofSeconds(90);
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withBuildingDaemon(Map.of("HEROMGR_HTTP", "127.0.0.1:0"));
    static TestDaemon d;
    static Browser browser;
    static String url;

    @BeforeAll
    static void up() throws IOException {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed (.ci/run installs them)");
        d = daemons.daemon();
        FailurePathsTest.copyCrate(Path.of("examples/hero_echo"), d.paths.codeRoot().resolve("hero/hero_echo"));
        d.result("service.build", Map.of("name", "hero_echo"));
        d.result("service.install", Map.of("name", "hero_echo"));
        d.result("service.create", Map.of("name", "pinger", "start", false, "depends_on", List.of("hero_echo"),
                "argv", List.of("/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo ping $i; sleep 0.3; done")));
        url = d.daemon.httpUrl().orElseThrow();
        browser = new Browser();
    }

    @AfterAll
    static void down() throws IOException {
        if (browser != null) browser.close();
    }

    static String token() throws IOException {
        return Files.readString(d.paths.state().resolve("http.token"), StandardCharsets.US_ASCII).strip();
    }

    WebElement row(String service) {
        return browser.visible(By.cssSelector("#fleet tr[data-service='" + service + "']"));
    }

    /** An attribute of a fleet row; the rows are redrawn as events come, so a row found just before may be gone. */
    String rowAttribute(String service, String attribute) {
        return browser.await(b -> row(service).getAttribute(attribute));
    }

    @Test
    @Order(1)
    void theTokenOpensTheFleetAndLeavesTheAddress() throws IOException {
        browser.open(url + "?token=" + token());
        assertThat(rowAttribute("hero_echo", "data-state")).isEqualTo("STOPPED");
        assertThat(rowAttribute("pinger", "data-service")).isEqualTo("pinger");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(url).doesNotContain("token");
        assertThat(browser.driver.findElements(By.id("role"))).as("the operator's page is not marked read only").isEmpty();
    }

    @Test
    @Order(2)
    void startTurnsTheRowHealthyWithoutAReload() throws IOException {
        assertThat(browser.driver.executeScript("window.notReloaded = true; return true;")).isEqualTo(true);
        browser.await(b -> {
            row("hero_echo").findElement(By.cssSelector("button[data-method='service.start']")).click();
            return true;
        });
        browser.await(b -> "true".equals(row("hero_echo").getAttribute("data-healthy")) ? true : null);
        assertThat(rowAttribute("hero_echo", "data-state")).isEqualTo("RUNNING");
        String health = browser.await(b -> row("hero_echo").findElement(By.cssSelector(".cell-health")).getText());
        assertThat(health).isEqualTo("healthy");
        // pinger is started from the CLI's side (another client): its row changes from the event stream alone
        d.result("service.start", Map.of("name", "pinger"));
        browser.await(b -> "RUNNING".equals(row("pinger").getAttribute("data-state")) ? true : null);
        assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-fleet.png"));
    }

    @Test
    @Order(3)
    void theServicePageFollowsTheLogAndPausesIt() throws IOException {
        browser.click(By.cssSelector("#fleet tr[data-service='pinger'] a"));
        WebElement log = browser.visible(By.id("svc-log"));
        browser.await(b -> log.getText().contains("ping") ? true : null);
        int seen = log.findElements(By.tagName("div")).size();
        browser.await(b -> log.findElements(By.tagName("div")).size() > seen ? true : null);
        browser.click(By.id("log-pause"));
        browser.visible(By.id("log-search")).sendKeys("ping 1");
        browser.await(b -> log.findElements(By.tagName("mark")).isEmpty() ? null : true);
        assertThat(log.findElements(By.tagName("div"))).allSatisfy(line -> assertThat(line.getText()).contains("ping 1"));
        // each line with the page's one clock, 24-hour as the jobs and the operations show it, not the locale's "PM"
        assertThat(log.findElements(By.tagName("div")))
                .allSatisfy(line -> assertThat(line.getText()).matches("\\d\\d:\\d\\d:\\d\\d ping 1\\d*"));
        Object midnight = browser.driver.executeAsyncScript("""
                const done = arguments[0];
                import('/ui/dom.js').then(dom => done(dom.time('2026-12-07T00:05:03')));
                """);
        assertThat(midnight).as("five past midnight, local time").isEqualTo("00:05:03");
        browser.visible(By.id("svc-definition"));
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-log.png"));
    }

    @Test
    @Order(4)
    void stopAsksFirstThenStops() throws IOException {
        browser.open(url + "#/service/pinger");
        // pinger has no check: running, it is "not checked" (the list's "-"), not a healthy verdict
        assertThat(browser.visible(By.cssSelector("#svc-health .badge")).getText()).isEqualTo("not checked");
        browser.click(By.cssSelector("#svc-actions button[data-method='service.stop']"));
        browser.click(By.id("confirm-cancel"));
        assertThat(d.result("service.status", Map.of("name", "pinger")).get("state").asText()).isEqualTo("RUNNING");
        browser.click(By.cssSelector("#svc-actions button[data-method='service.stop']"));
        browser.click(By.id("confirm-ok"));
        browser.await(b -> "STOPPED".equals(d.result("service.status", Map.of("name", "pinger")).get("state").asText()) ? true : null);
        browser.visible(By.cssSelector("#svc-state .state-stopped"));
        browser.click(By.cssSelector("#svc-actions button[data-method='service.troubleshoot']"));
        browser.visible(By.id("troubleshooting"));
    }

    @Test
    @Order(5)
    void theGraphDrawsEveryServiceAndOpensOne() throws IOException {
        browser.open(url + "#/graph");
        browser.visible(By.cssSelector("#graph g.node[data-service='pinger']"));
        // the graph is redrawn as events come: each look is retried on a redrawn (stale) element
        List<String> drawn = browser.await(b -> b.findElements(By.cssSelector("#graph g.node")).stream()
                .map(n -> n.getAttribute("data-service")).sorted().toList());
        List<String> services = d.result("service.list", Map.of()).findValuesAsText("name").stream().sorted().toList();
        assertThat(drawn).isEqualTo(services);
        int edges = 0;
        for (JsonNode s : d.result("service.list", Map.of())) edges += s.path("depends_on").size();
        assertThat(browser.driver.findElements(By.cssSelector("#graph path.edge"))).as("one edge per dependency").hasSize(edges);
        By echo = By.cssSelector("#graph g.node[data-service='hero_echo']");
        String classes = browser.await(b -> b.findElement(echo).getAttribute("class"));
        assertThat(classes).contains("node-running");
        // every name inside its box, the longest (hero_aibroker_mother) too
        Object overflowing = browser.driver.executeScript("""
                return [...document.querySelectorAll('#graph g.node')].filter(n =>
                  n.querySelector('text.name').getBBox().x + n.querySelector('text.name').getComputedTextLength()
                    > n.querySelector('rect').width.baseVal.value).map(n => n.dataset.service);
                """);
        assertThat((List<?>) overflowing).as("names wider than their box").isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-graph.png"));
        browser.await(b -> {
            b.findElement(echo).click();
            return true;
        });
        browser.visible(By.id("svc-definition"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/service/hero_echo");
        // its health check's latency from /metrics: a point for each look that finds new probes (every 10 s)
        browser.visible(SPARKLINE, PROBES);
        Object clearance = browser.driver.executeScript("""
                const svg = document.querySelector('.check-row svg.spark');
                const label = svg.querySelector('text').getBBox();
                const ys = svg.querySelector('polyline').getAttribute('points').trim().split(' ').map(p => Number(p.split(',')[1]));
                return Math.min(...ys) - (label.y + label.height);
                """);
        assertThat(((Number) clearance).doubleValue()).as("the line passes below the max's label").isGreaterThanOrEqualTo(0);
        // the uptime counts on while the service just runs, when no event comes to redraw the page
        By uptime = By.cssSelector(".action[data-action='server'] .uptime");
        String up = browser.await(b -> b.findElement(uptime).getText());
        browser.await(b -> b.findElement(uptime).getText().equals(up) ? null : true);
        // hero_echo logs each probe it answers: its followed log grows while the page is open
        WebElement log = browser.visible(By.id("svc-log"));
        int lines = log.findElements(By.tagName("div")).size();
        browser.await(b -> log.findElements(By.tagName("div")).size() > lines ? true : null);
        assertThat(log.getText()).contains("GET /health 200");
        // the operation log shows the build's own output, folded: cargo's last line is its summary
        WebElement build = browser.visible(By.cssSelector("#svc-ops details.op-output"));
        build.findElement(By.tagName("summary")).click();
        browser.await(b -> build.findElement(By.tagName("pre")).getText().contains("Finished") ? true : null);
        browser.driver.executeScript("window.scrollTo(0, 0);");
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-service.png"));
    }

    @Test
    @Order(6)
    void theEventsAndDaemonPagesShowWhatHappened() throws IOException {
        browser.open(url + "#/events");
        browser.await(b -> b.findElements(By.cssSelector("#timeline li[data-type='operation']")).isEmpty() ? null : true);
        d.result("service.restart", Map.of("name", "hero_echo"));
        browser.await(b -> b.findElements(By.cssSelector("#timeline li[data-type='state']")).isEmpty() ? null : true);
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-events.png"));
        browser.open(url + "#/daemon");
        WebElement facts = browser.visible(By.id("daemon-facts"));
        browser.await(b -> facts.getText().contains("admin.sock") ? true : null);
        assertThat(facts.getText()).contains(d.daemon.adminSocket().toString()).contains(url);
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-daemon.png"));
    }

    @Test
    @Order(7)
    void onAPhoneTheFleetIsReadable() throws IOException {
        browser.resize(390, 844);
        browser.open(url + "#/fleet");
        row("hero_echo");
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-phone.png"));
        browser.resize(1280, 900);
    }

    @Test
    @Order(8)
    void aWrongTokenIsRefused() {
        browser.driver.manage().deleteAllCookies();
        browser.open(url + "?token=0000");
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("token in the URL is wrong");
        browser.open(url);
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("a token is needed");
    }

    /** The methods of the page's enabled buttons, sorted. */
    List<String> enabledMethods() {
        return browser.await(b -> b.findElements(By.cssSelector("button[data-method]")).stream()
                .filter(WebElement::isEnabled).map(e -> e.getAttribute("data-method")).distinct().sorted().toList());
    }

    long echoPid() {
        JsonNode status = d.result("service.status", Map.of("name", "hero_echo"));
        assertThat(status.get("state").asText()).isEqualTo("RUNNING");
        return status.at("/actions/0/pid").asLong();
    }

    /**
     * A viewer cannot press stop: with the viewer token the fleet and a service page show, every button that would
     * change something is disabled (its title says why) and the reads are not; a stop forced through the page's own
     * API module is refused -32012 by the daemon, and the service keeps its pid.
     */
    @Test
    @Order(9)
    void aViewerSeesTheFleetAndAServiceButCannotPressStop() throws IOException {
        long pid = echoPid();
        String viewer = Files.readString(d.paths.state().resolve("http-viewer.token"), StandardCharsets.US_ASCII).strip();
        browser.driver.manage().deleteAllCookies();
        browser.open(url + "?token=" + viewer);
        assertThat(rowAttribute("hero_echo", "data-state")).isEqualTo("RUNNING");
        assertThat(browser.visible(By.id("role")).getText()).isEqualTo("read only");
        WebElement stop = browser.visible(By.cssSelector("#fleet tr[data-service='hero_echo'] button[data-method='service.stop']"));
        assertThat(stop.isEnabled()).isFalse();
        assertThat(stop.getAttribute("title")).contains("service.stop changes something", "http-viewer", "may only read");
        assertThat(enabledMethods()).as("no fleet button that changes something").isEmpty();

        browser.open(url + "#/service/hero_echo");
        browser.visible(SPARKLINE, PROBES);
        assertThat(browser.visible(By.cssSelector("#svc-actions button[data-method='service.stop']")).isEnabled()).isFalse();
        // the document marks verify and troubleshoot read: they stay; start, stop, restart, deploy and upgrade do not
        assertThat(enabledMethods()).containsExactly("service.troubleshoot", "service.verify");
        browser.screenshot(SCREENSHOTS.resolve("admin-ui-viewer.png"));

        // the page's own API call, as a script on the page would make it: the daemon is still the one that refuses
        Object answer = browser.driver.executeAsyncScript("""
                const [name, done] = arguments;
                import('/ui/api.js').then(api => api.rpc('service.stop', { name }))
                  .then(r => done({ result: r }), e => done({ code: e.code, message: e.message }));
                """, "hero_echo");
        assertThat(answer).isInstanceOf(Map.class);
        Map<?, ?> refused = (Map<?, ?>) answer;
        assertThat(refused.get("code")).as(refused.toString()).isEqualTo(-32012L);
        assertThat((String) refused.get("message")).contains("service.stop", "'http-viewer'", "may only read");
        assertThat(echoPid()).as("the service kept its process").isEqualTo(pid);
    }

    /**
     * The classic cross-site request forgery, in the browser: an operator is signed in (the cookie is set), and a page
     * of another origin submits a form to /rpc whose text/plain body is a JSON-RPC stop. The Origin check refuses it
     * before the token is looked at (SameSite=Strict keeps the cookie home, and the CSRF header is missing, besides).
     */
    @Test
    @Order(10)
    void aCrossOriginPostIsRefused() throws IOException {
        long pid = echoPid();
        browser.driver.manage().deleteAllCookies();
        browser.open(url + "?token=" + token());
        assertThat(rowAttribute("hero_echo", "data-state")).isEqualTo("RUNNING");
        // text/plain sends name=value: the value closes the string the name leaves open, so the body is one JSON call
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.stop\",\"params\":{\"name\":\"hero_echo\"},\"pad\":\"";
        String page = "<form method='post' enctype='text/plain' action='" + url + "rpc'><input name='" + call
                + "' value='\"}'></form><script>document.forms[0].submit()</script>";
        browser.open("data:text/html;charset=utf-8," + URLEncoder.encode(page, StandardCharsets.UTF_8).replace("+", "%20"));
        String answer = browser.await(b -> b.getCurrentUrl().startsWith(url) ? b.findElement(By.tagName("body")).getText() : null);
        assertThat(answer).isEqualTo("heromgr: cross-origin request from null refused");
        assertThat(echoPid()).as("the forged stop did nothing").isEqualTo(pid);
    }
}
