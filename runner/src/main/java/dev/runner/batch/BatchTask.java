package dev.runner.batch;

import dev.runner.config.RunConfig;
import dev.runner.schema.OutputSchema;
import dev.runner.tools.SandboxMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One checked task, every default applied: nothing about it can fail before it runs.
 *
 * @param line 1-based line in the task file
 * @param id unique id (also the name of its patch file)
 * @param prompt the prompt text ({@code prompt}, or the content of {@code prompt_file})
 * @param schema the output schema, or null
 * @param cwd the directory the task works in (before any workspace copy), absolute
 * @param config the resolved configuration (provider, model, transport)
 * @param sandbox the sandbox for its tool commands
 * @param timeout how long the task may run
 * @param maxTurns most model turns
 * @param schemaRetries repair turns for an answer that fails the schema
 */
public record BatchTask(int line, String id, String prompt, OutputSchema schema, Path cwd, RunConfig config,
    SandboxMode sandbox, Duration timeout, int maxTurns, int schemaRetries) {}
