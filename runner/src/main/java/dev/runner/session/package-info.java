/**
 * Saved sessions: each run's conversation as a JSONL file under {@code $RUNNER_HOME/sessions}, in the shape of codex's
 * rollout files where it fits, so that {@code exec resume} and {@code exec fork} can continue one. Uses protocol only.
 */
package dev.runner.session;
