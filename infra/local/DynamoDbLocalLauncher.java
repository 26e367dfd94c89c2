// Starts DynamoDB Local (the jar shipped in the npm package amplify-dynamodb-simulator) listening on
// one address only (127.0.0.1 by default). DynamoDB Local's own entry point (ServerRunner) builds a
// Jetty server with `new Server(port)`, which listens on every interface and has no host option.
// This launcher builds the same handler chain DynamoDB Local builds (LocalDynamoDBRequestHandler
// inside LocalDynamoDBServerHandler inside a ContextHandler) and puts it behind a Jetty connector
// bound to the given host. It skips ServerRunner and DynamoDBProxyServer.start(), which are the only
// places that set up and send telemetry.
//
// Run in source-file mode, no javac step:
//   java -Djava.library.path=<emulator>/DynamoDBLocal_lib -cp <emulator>/DynamoDBLocal.jar \
//     DynamoDbLocalLauncher.java [-host 127.0.0.1] [-port 0] (-inMemory | -dbPath <dir>) [-disableTelemetry]
//
// Prints "DynamoDB Local listening on <host>:<port>" once the port is bound (port 0 = a free port),
// then sends itself one ListTables (see warmUp).
// Exits when its standard input closes, so it never outlives the process that started it.

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

public class DynamoDbLocalLauncher {
  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 0;
    boolean inMemory = false;
    String dbPath = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-host" -> host = args[++i];
        case "-port" -> port = Integer.parseInt(args[++i]);
        case "-inMemory" -> inMemory = true;
        case "-dbPath" -> dbPath = args[++i];
        case "-disableTelemetry" -> { /* telemetry is only sent by ServerRunner/DynamoDBProxyServer, not used here */ }
        default -> {
          System.err.println("Unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (inMemory == (dbPath != null)) {
      System.err.println("Give exactly one of -inMemory and -dbPath <dir>");
      System.exit(2);
    }
    // Same quietening ServerRunner applies.
    System.setProperty("org.eclipse.jetty.util.log.announce", "false");
    System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    java.util.logging.Logger.getLogger("com.almworks.sqlite4java").setLevel(java.util.logging.Level.WARNING);

    // (unused port, inMemory, dbPath, sharedDb, delayTransientStatuses). sharedDb: one database for
    // every access key and region, so every local client sees the same tables.
    LocalDynamoDBRequestHandler requestHandler = new LocalDynamoDBRequestHandler(0, inMemory, dbPath, true, false);
    LocalDynamoDBServerHandler serverHandler = new LocalDynamoDBServerHandler(requestHandler, null);
    ContextHandler context = new ContextHandler();
    context.setHandler(serverHandler);
    ContextHandlerCollection handlers = new ContextHandlerCollection();
    handlers.addHandler(context);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handlers);
    server.setStopAtShutdown(true);
    try {
      server.start();
    } catch (Exception e) {
      // e.g. the port is taken. Jetty's threads are already running: exit, or the JVM would stay up.
      System.err.println("DynamoDB Local could not start on " + host + ":" + port + ": " + e);
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(serverHandler::close));

    System.out.println("DynamoDB Local listening on " + host + ":" + connector.getLocalPort());
    System.out.flush();
    String boundHost = host;
    Thread warmUp = new Thread(() -> warmUp(boundHost, connector.getLocalPort()), "warm-up");
    warmUp.setDaemon(true);
    warmUp.start();

    Thread watchdog = new Thread(() -> {
      try {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) { /* ignore input */ }
      } catch (Exception ignored) {
        // stdin broken: the parent is gone as well
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    server.join();
  }

  // DynamoDB Local sets up its database and request pipeline on its first request (~0.7 s on 2 cores).
  // Made here, it overlaps whatever the process that started us does next (npm start loads the
  // runner's modules, and reads our output only when that is done) instead of following it.
  static void warmUp(String host, int port) {
    String request = "POST / HTTP/1.1\r\n"
        + "Host: " + host + ":" + port + "\r\n"
        + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
        + "Content-Type: application/x-amz-json-1.0\r\n"
        + "Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n"
        + "Content-Length: 2\r\n"
        + "Connection: close\r\n\r\n{}";
    try (Socket socket = new Socket(host, port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().readAllBytes();
    } catch (IOException ignored) {
      // Only a head start: the first real request sets it up otherwise.
    }
  }
}
