package dev.runner.cli;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Creates the objects picocli asks for: commands that take the process {@link Environment}, the collections behind
 * multi-value options, and everything else through its no-argument constructor. Picocli's own default factory is not
 * used because initializing it looks for Groovy on the class path, a failed class lookup through every jar that cost
 * about a tenth of the start-up's main-thread time.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Environment environment;

  CommandFactory(Environment environment) {
    this.environment = environment;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    if (cls.isInterface()) {
      return cls.cast(collectionFor(cls));
    }
    try {
      return cls.cast(cls.getDeclaredConstructor(Environment.class).newInstance(environment));
    } catch (NoSuchMethodException e) {
      Constructor<K> constructor = cls.getDeclaredConstructor();
      constructor.setAccessible(true); // picocli's nested converters and our package-private commands
      return constructor.newInstance();
    }
  }

  private static Object collectionFor(Class<?> type) {
    if (SortedSet.class.isAssignableFrom(type)) {
      return new TreeSet<>();
    }
    if (Set.class.isAssignableFrom(type)) {
      return new LinkedHashSet<>();
    }
    if (List.class.isAssignableFrom(type) || Collection.class.equals(type)) {
      return new ArrayList<>();
    }
    if (SortedMap.class.isAssignableFrom(type)) {
      return new TreeMap<>();
    }
    if (Map.class.isAssignableFrom(type)) {
      return new LinkedHashMap<>();
    }
    throw new IllegalArgumentException("no implementation known for interface " + type.getName());
  }
}
