package dev.runner.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a user reads for each kind of error body a server or gateway answers. */
class ErrorBodyReaderTest {
  @Test
  void openAiBodyGivesCodeMessageAndParam() {
    ApiError e = ErrorBodyReader.read(400, "{\"error\":{\"message\":\"Invalid value: 'x'.\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"input[2].content\",\"code\":\"invalid_value\"}}");
    assertThat(e.describe()).isEqualTo("400 invalid_value: Invalid value: 'x'. (param: input[2].content)");
  }

  @Test
  void problemDetailsGiveTitleDetailAndTheFirstViolations() {
    ApiError e = ErrorBodyReader.read(422, """
        {"type":"https://gw.example/p#UNPROCESSABLE_ENTITY","title":"Unprocessable Entity","status":422,
         "detail":"Body failed validation.","violations":[{"field":"a","message":"is required"},
         {"field":"b","message":"too long"},{"pointer":"/c","reason":"bad"},{"field":"d","message":"x"},
         {"field":"e","message":"y"}]}""");
    assertThat(e.describe()).isEqualTo("422 Unprocessable Entity: Body failed validation.; violations: a: is "
        + "required, b: too long, /c: bad (+2 more)");
  }

  @Test
  void aProblemWithOnlyATypeStillSaysSomething() {
    assertThat(ErrorBodyReader.read(422, "{\"type\":\"https://x#UNPROCESSABLE_ENTITY\",\"title\":null,"
        + "\"violations\":[]}").describe()).isEqualTo("422 https://x#UNPROCESSABLE_ENTITY");
  }

  @Test
  void plainTextIsQuotedOnOneLineAndCut() {
    ApiError e = ErrorBodyReader.read(502, "<html>\n<body>Bad gateway</body>\n</html>" + "x".repeat(500));
    assertThat(e.describe()).startsWith("502 <html> <body>Bad gateway</body> </html>xxx").endsWith("…")
        .hasSizeLessThan(220);
    assertThat(ErrorBodyReader.read(503, "").describe()).isEqualTo("503");
    assertThat(ErrorBodyReader.read(500, "{not json").describe()).isEqualTo("500 {not json");
  }

  @Test
  void otherShapesKeepTheirMessage() {
    assertThat(ErrorBodyReader.read(401, "{\"error\":\"invalid key\",\"code\":\"auth\"}").describe())
        .isEqualTo("401 auth: invalid key");
    assertThat(ErrorBodyReader.read(429, "{\"message\":\"slow down\"}").describe()).isEqualTo("429 slow down");
  }

  @Test
  void rawBodyIsCutForTheLog() {
    assertThat(ErrorBodyReader.raw("x".repeat(ErrorBodyReader.RAW_CHARS + 10))).endsWith("… ("
        + (ErrorBodyReader.RAW_CHARS + 10) + " chars)");
    assertThat(ErrorBodyReader.raw("")).isEqualTo("(empty)");
  }
}
