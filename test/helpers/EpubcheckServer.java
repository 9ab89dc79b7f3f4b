// One EPUBCheck JVM for a whole test file: it reads "<epub>\t<report.json>" lines on stdin,
// writes EPUBCheck's JSON report for each (the same report as `--json`), and answers "done"
// on stdout (lines starting "@@"; EPUBCheck prints its own lines too). Starting a JVM per book cost more than checking it. Run by the source launcher:
// java -cp /usr/share/java/epubcheck.jar EpubcheckServer.java
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class EpubcheckServer {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("@@ready");
    System.out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split("\t", 2);
      try {
        CheckingReport report = new CheckingReport(parts[0], parts[1]);
        report.initialize();
        new EpubCheck(new File(parts[0]), report).doValidate();
        report.generate();
        System.out.println("@@done");
      } catch (Throwable error) {
        System.out.println("@@failed " + error.toString().replace('\n', ' '));
      }
      System.out.flush();
    }
  }
}
