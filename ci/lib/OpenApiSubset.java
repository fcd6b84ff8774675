import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Writes the part of the OpenAI OpenAPI document that the conformance tests validate against: the named component
 * schemas and every component they reference, transitively, copied unchanged. The whole document is about 3 MB and
 * mostly endpoints the runner never calls; the subset keeps the tests' verdicts identical while keeping the repository
 * small. The output records where it came from (file digest, upstream repository and commit) so it can be regenerated
 * and checked.
 *
 * <p>Usage: {@code java -cp <jackson-databind, jackson-dataformat-yaml, snakeyaml> OpenApiSubset.java SPEC.yaml OUT.json
 * SOURCE COMMIT ROOT...}
 */
public final class OpenApiSubset {
  private static final String PREFIX = "#/components/schemas/";

  private OpenApiSubset() {}

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    if (args.length < 5) {
      System.err.println("usage: OpenApiSubset SPEC.yaml OUT.json SOURCE COMMIT ROOT...");
      System.exit(2);
    }
    Path spec = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<String> roots = Arrays.asList(args).subList(4, args.length);

    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024); // the document is near SnakeYAML's default 3 MB limit
    ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    JsonNode document;
    try (InputStream in = Files.newInputStream(spec)) {
      document = yaml.readTree(in);
    }
    JsonNode schemas = document.path("components").path("schemas");

    Set<String> kept = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>(roots);
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (!schemas.has(name)) {
        throw new IllegalArgumentException("component schema '" + name + "' is not in " + spec);
      }
      if (kept.add(name)) {
        collectRefs(schemas.get(name), pending);
      }
    }

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode result = json.createObjectNode();
    result.put("openapi", document.path("openapi").asText());
    result.set("info", document.path("info"));
    ObjectNode subset = result.putObject("x-runner-subset");
    subset.put("source", args[2]);
    subset.put("commit", args[3]);
    subset.put("file_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(spec))));
    subset.put("generated_by", "ci/conformance/update-openapi-subset.sh");
    roots.forEach(subset.putArray("roots")::add);
    ObjectNode kept_ = result.putObject("components").putObject("schemas");
    kept.forEach(name -> kept_.set(name, schemas.get(name)));
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writeValue(out.toFile(), result);
    System.err.println("kept " + kept.size() + " of " + schemas.size() + " component schemas -> " + out);
  }

  private static void collectRefs(JsonNode node, Deque<String> pending) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if ((e.getKey().equals("$ref")) && e.getValue().isTextual() && e.getValue().asText().startsWith(PREFIX)) {
          pending.push(e.getValue().asText().substring(PREFIX.length()));
        } else {
          collectRefs(e.getValue(), pending);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, pending));
    }
  }
}
