/*
 * Temporal's Java time-skipping test server, started at a given instant instead of now: the stock
 * launcher (`TestServer <port>`) always starts at the wall clock, and time-skipping only moves
 * forward, so a test about a past calendar (2026's National Day week) needs its clock set first.
 * Run with the test server's jars: `java -cp '<lib>/*' TestServerAt.java <port> <epoch ms>`.
 */
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

public class TestServerAt {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long startAt = Long.parseLong(args[1]);
    // Time skipping locked at start, as the stock launcher does; the SDK unlocks it while it waits.
    TestServicesStarter services = new TestServicesStarter(true, startAt);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    server.awaitTermination();
  }
}
