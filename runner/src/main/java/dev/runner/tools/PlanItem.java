package dev.runner.tools;

import java.util.Objects;

/**
 * One step of the model's plan.
 *
 * @param step what the step is
 * @param status where it stands
 */
public record PlanItem(String step, Status status) {
  public PlanItem {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
  }

  /** True for a completed step (the report's {@code todo_list} item flag). */
  public boolean completed() {
    return status == Status.COMPLETED;
  }

  /** The statuses update_plan accepts, spelled as on the wire. */
  public enum Status {
    PENDING("pending"),
    IN_PROGRESS("in_progress"),
    COMPLETED("completed");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The status spelled {@code label}, or {@code null} for an unknown spelling. */
    static Status fromLabel(String label) {
      for (Status s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      return null;
    }
  }
}
