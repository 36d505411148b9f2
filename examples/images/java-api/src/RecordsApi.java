import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;

/** Stores JSON records in MariaDB or MySQL and lists them: POST /records, GET /records, GET /health. */
public final class RecordsApi {
  private static final int BODY_MAX_BYTES = 1 << 20;

  public static void main(String[] args) throws Exception {
    String url = "jdbc:mariadb://" + env("DB_HOST", "mysql") + ":" + env("DB_PORT", "3306") + "/" + env("DB_NAME", "records");
    Database database = new Database(url, env("DB_USER", "records"), env("DB_PASSWORD", ""));
    database.waitAndCreateTable();
    HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(env("PORT", "8080"))), 64);
    server.createContext("/records", exchange -> handle(exchange, database));
    server.createContext("/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    System.out.println("records API listening on port " + env("PORT", "8080") + ", database " + url);
  }

  private static void handle(HttpExchange exchange, Database database) throws IOException {
    try {
      switch (exchange.getRequestMethod()) {
        case "POST" -> {
          String body = readBody(exchange.getRequestBody());
          if (!Json.isObject(body)) {
            respond(exchange, 400, "{\"error\":\"the body must be a JSON object\"}");
            return;
          }
          long id = database.insert(body.trim());
          respond(exchange, 201, "{\"id\":" + id + ",\"record\":" + body.trim() + "}");
        }
        case "GET" -> respond(exchange, 200, database.listAsJson());
        default -> respond(exchange, 405, "{\"error\":\"use GET or POST\"}");
      }
    } catch (SQLException error) {
      respond(exchange, 503, "{\"error\":" + Json.quote("database: " + error.getMessage()) + "}");
    }
  }

  private static String readBody(InputStream input) throws IOException {
    byte[] bytes = input.readNBytes(BODY_MAX_BYTES + 1);
    if (bytes.length > BODY_MAX_BYTES) throw new IOException("request body over " + BODY_MAX_BYTES + " bytes");
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream output = exchange.getResponseBody()) {
      output.write(bytes);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** The records table, over one JDBC connection per request. */
  static final class Database {
    private final String url;
    private final String user;
    private final String password;

    Database(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    private Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    void waitAndCreateTable() throws InterruptedException {
      for (int attempt = 1; ; attempt++) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
          statement.execute("CREATE TABLE IF NOT EXISTS records (id BIGINT AUTO_INCREMENT PRIMARY KEY, body LONGTEXT NOT NULL, created TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
          return;
        } catch (SQLException error) {
          if (attempt >= 60) throw new IllegalStateException("Cannot reach the database at " + url + ": " + error.getMessage(), error);
          System.err.println("waiting for the database (" + error.getMessage() + ")");
          Thread.sleep(1000);
        }
      }
    }

    long insert(String body) throws SQLException {
      try (Connection connection = connect();
          PreparedStatement statement = connection.prepareStatement("INSERT INTO records (body) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        statement.setString(1, body);
        statement.executeUpdate();
        try (ResultSet keys = statement.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    }

    String listAsJson() throws SQLException {
      StringBuilder json = new StringBuilder("[");
      try (Connection connection = connect(); Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT id, body FROM records ORDER BY id")) {
        while (rows.next()) {
          if (json.length() > 1) json.append(',');
          json.append("{\"id\":").append(rows.getLong(1)).append(",\"record\":").append(rows.getString(2)).append('}');
        }
      }
      return json.append(']').toString();
    }
  }
}
