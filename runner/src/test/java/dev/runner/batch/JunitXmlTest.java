package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.StringReader;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class JunitXmlTest {
  static TaskResult result(String id, TaskStatus status, TaskResult.Problem... problems) {
    return new TaskResult(id, status, status == TaskStatus.CANCELLED ? null : 0, TextNode.valueOf("x"),
        List.of(problems), 1, "http", new TaskResult.Timing(1500, 2, 12.5, 10, 5, 100, 200, 1), null);
  }

  static final List<TaskResult> RESULTS = List.of(
      result("ok-1", TaskStatus.OK),
      result("bad<&>\"'", TaskStatus.SCHEMA_INVALID, new TaskResult.Problem("/a/0", "must be integer\u0001\u0000"),
          new TaskResult.Problem("", "missing \"b\" ]]> \uD800")),
      result("fail", TaskStatus.FAILED, new TaskResult.Problem(null, "HTTP 500 \u001b[31m")),
      result("slow", TaskStatus.TIMEOUT, new TaskResult.Problem(null, "passed 90 s")),
      result("later", TaskStatus.CANCELLED, new TaskResult.Problem(null, "--fail-fast")));

  @Test
  void parsesWithTheJdkParserAndHasOneTestcasePerTask() throws Exception {
    String xml = JunitXml.render("runner batch", RESULTS);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("5");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("2");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(suite.getAttribute("time")).isEqualTo("7.500");
    Element bad = (Element) doc.getElementsByTagName("testcase").item(1);
    assertThat(bad.getAttribute("name")).isEqualTo("bad<&>\"'");
    assertThat(bad.getAttribute("time")).isEqualTo("1.500");
    Element failure = (Element) bad.getElementsByTagName("failure").item(0);
    assertThat(failure.getTextContent()).isEqualTo("/a/0: must be integer\\u0001\\u0000\n(root): missing \"b\" ]]> "
        + "\\ud800");
    assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(2);
    assertThat(((Element) doc.getElementsByTagName("error").item(0)).getAttribute("message"))
        .isEqualTo("HTTP 500 \\u001b[31m");
    assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
  }

  @Test
  void validatesAgainstTheJunitXsd() throws Exception {
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    var schema = factory.newSchema(new StreamSource(getClass().getResourceAsStream("/batch/junit.xsd")));
    schema.newValidator().validate(new StreamSource(new StringReader(JunitXml.render("runner batch", RESULTS))));
    schema.newValidator().validate(new StreamSource(new StringReader(JunitXml.render("empty", List.of()))));
  }
}
