package dev.runner.cli;

import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Ties an option of a model built in code to a field of its command object, as picocli does for an annotated field,
 * through a getter and a setter instead of reflection. Multi-value options need both: picocli reads the list or array
 * so far and writes back the longer one.
 */
final class OptionBinding<T> implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
  private final Supplier<T> get;
  private final Consumer<T> set;

  private OptionBinding(Supplier<T> get, Consumer<T> set) {
    this.get = get;
    this.set = set;
  }

  /**
   * {@code option} bound to a field through {@code get} and {@code set}, its initial value the field's value now (as
   * picocli takes an annotated field's), which a parse starts from.
   */
  static <T> CommandLine.Model.OptionSpec.Builder bind(CommandLine.Model.OptionSpec.Builder option, Supplier<T> get,
      Consumer<T> set) {
    OptionBinding<T> field = new OptionBinding<>(get, set);
    return option.getter(field).setter(field).initialValue(get.get());
  }

  /** As {@link #bind(CommandLine.Model.OptionSpec.Builder, Supplier, Consumer)}, for a positional parameter. */
  static <T> CommandLine.Model.PositionalParamSpec.Builder bind(CommandLine.Model.PositionalParamSpec.Builder parameter,
      Supplier<T> get, Consumer<T> set) {
    OptionBinding<T> field = new OptionBinding<>(get, set);
    return parameter.getter(field).setter(field).initialValue(get.get());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> V get() {
    return (V) get.get();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> V set(V value) {
    V old = (V) get.get();
    set.accept((T) value);
    return old;
  }
}
