package heromgr.testkit;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Debian's headless chromium driven through Debian's chromedriver (never a downloaded one: the driver's path is
 * given, so Selenium Manager does not run), with a fresh profile that is removed on close.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Generous: seven helpers share two cores while the suite runs. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final Path profile;
    private final ChromeDriverService service;
    public final ChromeDriver driver;

    public Browser() throws IOException {
        profile = Files.createTempDirectory("heromgr-chromium-");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(profile.resolve("chromedriver.log").toFile()).build();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.resolve("profile"), "--window-size=1280,900");
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            FileTree.delete(profile);
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    /** Whether this machine has the browser and its driver (installed by .ci/run). */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Until the condition is neither null nor false; an element redrawn under it (stale) is looked for again. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    public WebElement visible(By by) {
        return visible(by, WAIT);
    }

    /** For what comes at the daemon's pace rather than the page's (a health check's interval). */
    public WebElement visible(By by, Duration wait) {
        return new WebDriverWait(driver, wait).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Clicks the element once it is visible, scrolled to the middle of the window first: the page's header is sticky,
     * and an element the driver scrolls just into view can sit under it.
     */
    public void click(By by) {
        WebElement element = visible(by);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A PNG of what the browser shows now. */
    public void screenshot(Path png) throws IOException {
        Files.createDirectories(png.getParent());
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            FileTree.delete(profile);
        }
    }
}
