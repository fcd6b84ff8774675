package dev.runner.loop;

import dev.runner.protocol.Usage;

/**
 * A finished run.
 *
 * @param finalMessage the model's last message text
 * @param turns model turns taken, repair turns included
 * @param toolCalls tool calls executed
 * @param usage tokens over all turns
 */
public record LoopOutcome(String finalMessage, int turns, int toolCalls, Usage usage) {}
