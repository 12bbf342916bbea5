package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The result shapes as the daemon's contract describes them, rendered without a daemon. */
class HumanOutputTest {
    private final StringWriter printed = new StringWriter();
    private final HumanOutput out = new HumanOutput(
            new Terminal(new PrintWriter(printed, true), new PrintWriter(new StringWriter()), Map.of(), false));

    private static JsonNode json(String text) throws Exception {
        return JsonText.parse(text.replace('\'', '"'));
    }

    private String[] lines() {
        return printed.toString().split("\\R");
    }

    /** A stopped service's health does not apply ("-"); a failed one is never healthy ("no"). */
    @Test
    void serviceListTable() throws Exception {
        int exit = out.serviceList(json("""
                [{'name':'hero_echo','type':'rust','state':'RUNNING','pid':4242,'uptime_ms':252000,'restarts':2,'healthy':true,
                  'version':'0.1.0','depends_on':[],'cpu_percent':12.5,'memory_bytes':5347738},
                 {'name':'hero_ui','type':'rust','state':'STOPPED','pid':null,'uptime_ms':null,'restarts':0,'healthy':false,
                  'version':null,'depends_on':['hero_echo','db'],'cpu_percent':null,'memory_bytes':null},
                 {'name':'hero_db','type':'rust','state':'FAILED','pid':null,'uptime_ms':null,'restarts':5,'healthy':false,
                  'version':null,'depends_on':[],'cpu_percent':null,'memory_bytes':null}]"""));

        assertThat(exit).isZero();
        assertThat(lines()).containsExactly(
                "NAME       TYPE  STATE    HEALTHY  PID   UPTIME  RESTARTS  CPU    MEM      VERSION  DEPENDS_ON",
                "hero_echo  rust  RUNNING  yes      4242  4m12s   2         12.5%  5.1 MiB  0.1.0    -",
                "hero_ui    rust  STOPPED  -        -     -       0         -      -        -        hero_echo, db",
                "hero_db    rust  FAILED   no       -     -       5         -      -        -        -");
    }

    @Test
    void statusHeaderAndActions() throws Exception {
        out.status(json("""
                {'name':'hero_echo','state':'RUNNING','actions':[
                  {'name':'server','state':'RUNNING','pid':4242,'uptime_ms':252000,'restart_count':0,'last_exit':null,'log_file':'/l'},
                  {'name':'ui','state':'FAILED','pid':null,'uptime_ms':null,'restart_count':3,
                   'last_exit':{'code':137,'signal':9,'at':'t','requested':false},'log_file':'/m'},
                  {'name':'job','state':'STOPPED','pid':null,'uptime_ms':null,'restart_count':0,
                   'last_exit':{'code':0,'signal':0,'at':'t','requested':true},'log_file':'/n'}]}"""));

        assertThat(lines()).containsExactly(
                "hero_echo: RUNNING",
                "ACTION  STATE    PID   UPTIME  RESTARTS  LAST_EXIT",
                "server  RUNNING  4242  4m12s   0         -",
                "ui      FAILED   -     -       3         signal 9",
                "job     STOPPED  -     -       0         exit 0 (requested)");
    }

    @Test
    void unhealthyExitsOne() throws Exception {
        int exit = out.health(json("""
                {'name':'hero_echo','ok':false,'checks':[
                  {'kind':'http','target':'/health','ok':false,'status':503,'latency_ms':12,'detail':'down'}]}"""));

        assertThat(exit).isEqualTo(ExitCode.FAILED);
        assertThat(lines()).containsExactly(
                "hero_echo: unhealthy",
                "CHECK  TARGET   OK  STATUS  LATENCY  DETAIL",
                "http   /health  no  503     12 ms    down");
    }

    @Test
    void inspectAsIndentedTree() throws Exception {
        out.tree(json("""
                {'name':'hero_echo','depends_on':['a','b'],'build':{'profile':'release','env':{}},
                 'actions':[{'name':'server','args':[]}],'version':null}"""));

        assertThat(lines()).containsExactly(
                "name: hero_echo",
                "depends_on: a, b",
                "build:",
                "  profile: release",
                "  env:",
                "actions:",
                "  -",
                "    name: server",
                "    args: -",
                "version: -");
    }

    @Test
    void durationsAndTimesReadAsAPersonWouldSayThem() throws Exception {
        Instant at = Instant.parse("2026-12-05T11:00:00.250Z");
        out.tree(json("{'stop_timeout':'PT10S','backoff':'PT0.25S','uptime_ms':252000,'started_at':'" + at + "','word':'PTA'}"));

        assertThat(lines()).containsExactly(
                "stop_timeout: 10.0 s",
                "backoff: 250 ms",
                "uptime: 4m12s",
                "started_at: " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(at.atZone(ZoneId.systemDefault())),
                "word: PTA");
    }

    @Test
    void deploySaysWhenItLeftTheServiceAlone() throws Exception {
        int unchanged = OperationSummary.deploy(json("""
                {'name':'hero_echo','restarted':false,'install':{'version':'0.1.0','changed':false},'build':null,
                 'health':{'ok':true,'checks':[]},'state':'RUNNING'}"""), out);
        int failing = OperationSummary.deploy(json("""
                {'name':'hero_echo','restarted':true,'install':{'version':'0.2.0','changed':true},
                 'build':{'skipped':false,'duration_ms':4200},
                 'health':{'ok':false,'checks':[{'target':'/s/rpc.sock /health','ok':false,'detail':'connection refused\\nat ...'}]},
                 'state':'RUNNING'}"""), out);

        assertThat(unchanged).isZero();
        assertThat(failing).isEqualTo(ExitCode.FAILED);
        assertThat(lines()).containsExactly(
                "hero_echo 0.1.0 is already deployed: nothing changed, left running (RUNNING, healthy)",
                "deployed hero_echo 0.2.0; built in 4.2 s; installed; RUNNING, not healthy",
                "  check /s/rpc.sock /health: connection refused");
    }

    @Test
    void buildSummaryAndSkip() throws Exception {
        OperationSummary.build(json("""
                {'name':'hero_echo','profile':'release','duration_ms':4200,'skipped':false,
                 'binaries':[{'path':'/b/hero_echo','sha256':'abcdef0123456789abcdef'}]}"""), out);
        OperationSummary.build(json("{'name':'hero_echo','profile':'release','binaries':[],'duration_ms':0,'skipped':true}"), out);

        assertThat(lines()).containsExactly(
                "built hero_echo (release) in 4.2 s",
                "  /b/hero_echo  sha256 abcdef012345…",
                "hero_echo already built, skipped");
    }

    @Test
    void lifecycleSummaries() throws Exception {
        OperationSummary.start(json("{'name':'e','started':['server'],'already_running':['ui'],'state':'RUNNING','healthy':true}"), out);
        OperationSummary.stop(json("{'name':'e','stopped':[],'state':'STOPPED'}"), out);
        OperationSummary.install(json("{'name':'e','installed':[],'version':'1.0','changed':false}"), out);

        assertThat(lines()).containsExactly(
                "e: RUNNING, healthy; started server; already running: ui",
                "e: STOPPED; nothing was running",
                "e 1.0 already installed, unchanged");
    }

    @Test
    void logLinesAreRaw() throws Exception {
        out.logLines(json("{'name':'e','lines':['  a  ','b: c']}"));

        assertThat(lines()).containsExactly("  a  ", "b: c");
    }
}
