// One EPUBCheck JVM for a whole test run (started by test/run.ts; a test file run alone
// starts its own): it listens on 127.0.0.1, says "@@ready <port>" on stdout, and on each
// connection reads "<epub>\t<report.json>" lines and writes EPUBCheck's JSON report for each
// (the same report as `--json`), answering "@@done" (or "@@failed <why>") on that connection.
// Checks run on a pool of threads, one a core. A book whose bytes were checked already in this
// run gets that check's report again: EPUBCheck reads nothing but the book. Starting a JVM per
// book cost more than checking it. Run by the source launcher:
// java -cp /usr/share/java/epubcheck.jar EpubcheckServer.java [threads]
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class EpubcheckServer {
  private static final ConcurrentHashMap<String, Future<byte[]>> reports = new ConcurrentHashMap<>();
  private static ExecutorService checkers;

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    checkers = Executors.newFixedThreadPool(Math.max(1, threads));
    ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    System.out.println("@@ready " + server.getLocalPort());
    System.out.flush();
    // The JVM lives as long as whoever started it keeps its stdin open.
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {}
      } catch (Exception ignored) {
      }
      System.exit(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    while (true) {
      Socket socket = server.accept();
      Thread connection = new Thread(() -> serve(socket));
      connection.setDaemon(true);
      connection.start();
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        String answer;
        try {
          String[] parts = line.split("\t", 2);
          Files.write(Path.of(parts[1]), report(parts[0]));
          answer = "@@done\n";
        } catch (Throwable error) {
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          answer = "@@failed " + cause.toString().replace('\n', ' ') + "\n";
        }
        out.write(answer.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (Exception ignored) {
    }
  }

  private static byte[] report(String epub) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(epub));
    String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    Future<byte[]> report = reports.computeIfAbsent(key, (ignored) -> checkers.submit(() -> check(Path.of(epub).getFileName().toString(), bytes)));
    try {
      return report.get();
    } catch (Exception error) {
      reports.remove(key, report);
      throw error;
    }
  }

  /** EPUBCheck on a private copy of the bytes read, so that the report is of exactly those bytes. */
  private static byte[] check(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory("epubcheck-");
    try {
      Path book = dir.resolve(name);
      Path json = dir.resolve("report.json");
      Files.write(book, bytes);
      CheckingReport report = new CheckingReport(book.toString(), json.toString());
      report.initialize();
      new EpubCheck(new File(book.toString()), report).doValidate();
      report.generate();
      return Files.readAllBytes(json);
    } finally {
      for (File file : dir.toFile().listFiles()) file.delete();
      dir.toFile().delete();
    }
  }
}
