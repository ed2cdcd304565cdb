package dev.ffdispatch.exec;

/**
 * Runs one job somewhere (a worker over SSH, or this machine). Implementations are thread-safe;
 * one executor serves many jobs at once.
 */
public interface Executor {

    /**
     * Starts the job and returns once the process runs and its PID is known. Output flows to
     * {@code sink} from then on, as it comes, never buffered to the end.
     *
     * @throws NotStartedException when nothing was started (connect failed, channel refused,
     *     working directory missing, ...): the caller may safely try another executor.
     */
    RunningJob start(JobSpec spec, JobSink sink) throws NotStartedException;
}
