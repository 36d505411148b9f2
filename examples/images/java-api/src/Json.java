/** Just enough JSON: checking that a text is one well-formed object, and quoting a string. */
final class Json {
  private final String text;
  private int position;

  private Json(String text) {
    this.text = text;
  }

  static boolean isObject(String text) {
    Json parser = new Json(text);
    try {
      parser.skipSpace();
      if (parser.peek() != '{') return false;
      parser.value();
      parser.skipSpace();
      return parser.position == text.length();
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException error) {
      return false;
    }
  }

  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  private char peek() {
    return text.charAt(position);
  }

  private void skipSpace() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) position++;
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) throw new IllegalArgumentException("expected " + c);
    position++;
  }

  private void value() {
    skipSpace();
    char c = peek();
    if (c == '{') {
      position++;
      skipSpace();
      if (peek() == '}') { position++; return; }
      do { skipSpace(); string(); expect(':'); value(); skipSpace(); } while (text.charAt(position++) == ',');
      if (text.charAt(position - 1) != '}') throw new IllegalArgumentException("expected }");
    } else if (c == '[') {
      position++;
      skipSpace();
      if (peek() == ']') { position++; return; }
      do { value(); skipSpace(); } while (text.charAt(position++) == ',');
      if (text.charAt(position - 1) != ']') throw new IllegalArgumentException("expected ]");
    } else if (c == '"') {
      string();
    } else {
      int start = position;
      while (position < text.length() && "+-0123456789.eEtruefalsn".indexOf(text.charAt(position)) >= 0) position++;
      String literal = text.substring(start, position);
      if (!(literal.equals("true") || literal.equals("false") || literal.equals("null") || literal.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?"))) {
        throw new IllegalArgumentException("bad literal");
      }
    }
  }

  private void string() {
    if (peek() != '"') throw new IllegalArgumentException("expected a string");
    position++;
    while (peek() != '"') {
      if (peek() == '\\') position++;
      position++;
    }
    position++;
  }
}
