package dev.lb.history.testing;

import dev.lb.history.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: gives a test {@link Stores}, fresh empty stores of either kind. One PostgreSQL server is started
 * for the whole test run (on first use) and stopped when the run ends; every store on it is a database of its own.
 */
public final class HistoryStores implements ParameterResolver {
    public enum Kind { SQLITE, POSTGRESQL }

    /** Fresh, empty stores. */
    public interface Stores {
        StoreLocation fresh(Kind kind) throws Exception;

        PostgresServer server() throws Exception;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Stores.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext.Store root = e.getRoot().getStore(ExtensionContext.Namespace.create(HistoryStores.class));
        return new Stores() {
            @Override
            public StoreLocation fresh(Kind kind) throws Exception {
                if (kind == Kind.SQLITE) {
                    Path dir = Files.createTempDirectory("lb-history-sqlite");
                    return StoreLocation.parse(dir.resolve("history.db").toString(), "test");
                }
                return StoreLocation.parse(server().newDatabaseUrl(), "test");
            }

            @Override
            public PostgresServer server() {
                return root.getOrComputeIfAbsent("server", k -> new Shared(), Shared.class).server;
            }
        };
    }

    /** The shared server, closed by JUnit when the root context ends. */
    private static final class Shared implements ExtensionContext.Store.CloseableResource {
        final PostgresServer server;

        Shared() {
            try {
                server = PostgresServer.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start PostgreSQL for the history tests: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

}
