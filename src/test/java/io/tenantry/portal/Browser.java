package io.tenantry.portal;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven through its chromedriver (packages chromium and chromium-driver; .ci/run installs
 * them). The paths can be overridden with TENANTRY_CHROMIUM and TENANTRY_CHROMEDRIVER. A 1280×800 window, the
 * browser's console kept for the tests to read, screenshots under target/portal-screenshots/.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final WebDriver driver;
  private final String base;

  private Browser(WebDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  /** Why browser tests cannot run here, or empty when Chromium and its driver are installed. */
  static Optional<String> missing() {
    if (!Files.isExecutable(chromium())) {
      return Optional.of("Chromium is not installed at " + chromium() + " (apt-get install chromium chromium-driver; .ci/run does it)");
    }
    if (!Files.isExecutable(chromedriver())) {
      return Optional.of("chromedriver is not installed at " + chromedriver() + " (apt-get install chromium-driver)");
    }
    return Optional.empty();
  }

  private static Path chromium() {
    return Path.of(System.getenv().getOrDefault("TENANTRY_CHROMIUM", "/usr/bin/chromium"));
  }

  private static Path chromedriver() {
    return Path.of(System.getenv().getOrDefault("TENANTRY_CHROMEDRIVER", "/usr/bin/chromedriver"));
  }

  static Browser open(int port) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
      "--window-size=1280,800", "--no-first-run", "--disable-extensions", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(chromedriver().toFile())
      .usingAnyFreePort()
      .build();
    return new Browser(new ChromeDriver(service, options), "http://127.0.0.1:" + port);
  }

  void go(String path) {
    driver.get(base + path);
  }

  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class); // the portal re-renders lists after each change
    return wait;
  }

  WebElement waitFor(String css) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  WebElement waitForText(String css, String text) {
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    return driver.findElement(By.cssSelector(css));
  }

  void waitGone(String css) {
    waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  /** The first element matching css whose text contains text (waiting for it). */
  WebElement waitForElementWithText(String css, String text) {
    return waiting().until(d -> d.findElements(By.cssSelector(css)).stream()
      .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void type(String css, String text) {
    WebElement input = waitFor(css);
    input.clear();
    input.sendKeys(text);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The console's errors since the last call (reading drains them). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
      .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
      .map(LogEntry::getMessage)
      .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
