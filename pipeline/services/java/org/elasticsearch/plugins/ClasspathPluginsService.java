package org.elasticsearch.plugins;

import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plugins service that loads plugin classes already on the classpath.
 *
 * Maven Central publishes the server and a few plugins as plain jars, not as the
 * bundles an Elasticsearch distribution unpacks under modules/, so the stock
 * service finds nothing. This lives in Elasticsearch's package because the record
 * describing a loaded plugin is package-private.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(Settings settings, Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(settings, environment.configDir(), emptyLoader());
        this.classpathPlugins = pluginClasses.stream().map(ClasspathPluginsService::instantiate).toList();
    }

    /**
     * A loader with no module or plugin bundles: everything comes from the classpath.
     * The public factory needs the server on the module path, so use the package-private constructor.
     */
    public static PluginsLoader emptyLoader() {
        return new PluginsLoader(Set.of(), Set.of(), Map.of());
    }

    private static LoadedPlugin instantiate(Class<? extends Plugin> pluginClass) {
        try {
            Plugin plugin = pluginClass.getConstructor().newInstance();
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getSimpleName(),
                "loaded from the classpath",
                "NA",
                org.elasticsearch.Build.current().version(),
                Integer.toString(Runtime.version().feature()),
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            return new LoadedPlugin(descriptor, plugin, pluginClass.getClassLoader());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate plugin " + pluginClass.getName(), e);
        }
    }

    @Override
    protected final List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(classpathPlugins.stream().map(p -> new PluginRuntimeInfo(p.descriptor())).toList(), List.of());
    }
}
