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

  static <T> OptionBinding<T> of(Supplier<T> get, Consumer<T> set) {
    return new OptionBinding<>(get, set);
  }

  /**
   * {@code option} bound to the field, its initial value the field's value now (as picocli takes an annotated field's),
   * which a parse starts from.
   */
  CommandLine.Model.OptionSpec.Builder on(CommandLine.Model.OptionSpec.Builder option) {
    return option.getter(this).setter(this).initialValue(get.get());
  }

  /** As {@link #on(CommandLine.Model.OptionSpec.Builder)}, for a positional parameter. */
  CommandLine.Model.PositionalParamSpec.Builder on(CommandLine.Model.PositionalParamSpec.Builder parameter) {
    return parameter.getter(this).setter(this).initialValue(get.get());
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
