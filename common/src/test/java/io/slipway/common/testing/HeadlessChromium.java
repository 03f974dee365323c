package io.slipway.common.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium driven by Debian's chromium-driver, for tests of pages in a real browser. The driver and
 * browser binaries are named explicitly, so Selenium Manager never tries to download anything. Close it after use.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Debian's Chromium. */
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    /** Debian's chromium-driver. */
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Whether this machine has both binaries (tests skip themselves with an assumption otherwise). */
    public static boolean available() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** Starts a headless browser with a 1400×1000 window. */
    public static HeadlessChromium start() {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    public WebDriver driver() {
        return driver;
    }

    /** A wait on the page, for conditions (never a fixed sleep). */
    public WebDriverWait waitAtMost(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    /** Saves a PNG screenshot of the window to {@code file} (directories created) and returns it. */
    public Path screenshot(Path file) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The variance of the luminance of a PNG's pixels: near 0 for a blank (single-colour) image. */
    public static double luminanceVariance(Path png) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (image == null) {
            throw new IllegalArgumentException(png + " is not an image");
        }
        double sum = 0;
        double squares = 0;
        long count = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double luminance = 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
                sum += luminance;
                squares += luminance * luminance;
                count++;
            }
        }
        double mean = sum / count;
        return squares / count - mean * mean;
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** A file under the module's {@code target/} directory, for artifacts tests leave behind (screenshots). */
    public static Path target(String name) {
        return Path.of("target", name);
    }
}
