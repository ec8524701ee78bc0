package ceasefire.local;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a single Elasticsearch node in this JVM until it receives SIGTERM.
 *
 * Arguments are settings as key=value pairs, like the distribution's -E flags.
 */
public final class EmbeddedElasticsearch {

    private EmbeddedElasticsearch() {}

    public static void main(String[] args) throws Exception {
        Settings settings = parseSettings(args);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(settings));
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "local");
        Node node = new ClasspathNode(environment, List.of(Netty4Plugin.class, RootEndpointPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "elasticsearch-shutdown"));
        node.start();
        stopped.await();
    }

    private static Settings parseSettings(String[] args) {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got [" + arg + "]");
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return builder.build();
    }
}
