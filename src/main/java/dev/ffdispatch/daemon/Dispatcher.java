package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.balance.Reservation;
import dev.ffdispatch.exec.Executor;
import dev.ffdispatch.exec.JobSink;
import dev.ffdispatch.exec.JobSpec;
import dev.ffdispatch.exec.NotStartedException;
import dev.ffdispatch.exec.RunningJob;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.store.HostRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a job where it should run: a worker chosen by the balancer, the next candidate when
 * one fails before the job started, then this machine when the configuration allows it. A job
 * that has started is never started again.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final HostBook loadBook;
    private final HostDirectory hosts;
    private final Poller poller;
    private final Router router;
    private final LocalTools localTools;
    private final Executor localExecutor;
    private final boolean fallbackEnabled;
    private final List<String> envPassthrough;
    private final Map<String, String> fixedEnv;
    private final Waker waker;

    Dispatcher(HostBook loadBook, HostDirectory hosts, Poller poller, Router router, LocalTools localTools,
               Executor localExecutor, boolean fallbackEnabled, List<String> envPassthrough, Map<String, String> fixedEnv,
               Waker waker) {
        this.waker = waker;
        this.loadBook = loadBook;
        this.hosts = hosts;
        this.poller = poller;
        this.router = router;
        this.localTools = localTools;
        this.localExecutor = localExecutor;
        this.fallbackEnabled = fallbackEnabled;
        this.envPassthrough = List.copyOf(envPassthrough);
        this.fixedEnv = Map.copyOf(fixedEnv);
    }

    /**
     * A started job and where it runs; for a job on this machine, also why it is not on a worker.
     *
     * @param fallback null when the job runs on the worker the balancer chose
     * @param fallbackReason the rule or the workers' failures, for the job's history; null with {@code fallback}
     */
    record Started(RunningJob job, String host, Reservation reservation, FallbackKind fallback, String fallbackReason) {
        void release() {
            if (reservation != null) {
                reservation.release();
            }
        }
    }

    /** The job could not start anywhere; {@code exitCode} is what the shim exits with. */
    static final class DispatchException extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        DispatchException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    Started start(JobRequest request, JobSink sink) throws DispatchException {
        Map<String, String> env = environment(request.environment());
        String localRule = router.localRule(request.tool(), request.args());
        if (localRule != null) {
            return startLocal(request, env, sink, FallbackKind.ROUTING, localRule);
        }
        waker.jobDispatched(hosts.all());
        Set<Long> excluded = new HashSet<>();
        StringBuilder failures = new StringBuilder();
        for (Optional<Reservation> next = loadBook.reserve(excluded); next.isPresent(); next = loadBook.reserve(excluded)) {
            Reservation reservation = next.get();
            WorkerHost host = hosts.host(reservation.hostId());
            if (host == null) { // removed between reservation and lookup
                reservation.release();
                excluded.add(reservation.hostId());
                continue;
            }
            JobSpec spec = new JobSpec(host.program(request.tool()), request.args(), request.workingDirectory(), env);
            try {
                return new Started(host.executor().start(spec, sink), host.record().name(), reservation, null, null);
            } catch (RuntimeException e) {
                // Not a known "did not start": whether anything runs is unknown, so no other host
                // is tried (a job is never started twice); the slot is free again either way.
                reservation.release();
                LOG.error("dispatch(host={}) start failed unexpectedly", host.record().name(), e);
                throw new DispatchException(JobExitCodes.PROTOCOL, "cannot run " + request.tool().command() + " on "
                    + host.record().name() + ": " + e + ". This is a bug in ffdispatch; the daemon log has the details");
            } catch (NotStartedException e) {
                reservation.release();
                excluded.add(reservation.hostId());
                poller.reportFailure(reservation.hostId(), e.getMessage());
                failures.append(failures.length() == 0 ? "" : "; ").append(host.record().name()).append(": ").append(e.getMessage());
                LOG.warn("dispatch(host={}) not started, trying the next candidate: {}", host.record().name(), e.getMessage());
            }
        }
        String why = failures.length() > 0 ? "workers failed before start (" + failures + ")"
            : loadBook.unavailable().orElseGet(() -> "no worker can take it (" + hostSummary() + ")");
        if (!fallbackEnabled) {
            throw new DispatchException(JobExitCodes.NO_HOST, "cannot run " + request.tool().command() + ": " + why
                + "; local fallback is off. Fix: bring a worker up (ffdispatch status), or set local.fallback: true");
        }
        return startLocal(request, env, sink, FallbackKind.NO_WORKER, why);
    }

    private Started startLocal(JobRequest request, Map<String, String> env, JobSink sink, FallbackKind kind,
                               String reason) throws DispatchException {
        String program = localTools.path(request.tool());
        try {
            JobSpec spec = new JobSpec(program, request.args(), request.workingDirectory(), env);
            return new Started(localExecutor.start(spec, sink), HostRecord.LOCAL, null, kind, reason);
        } catch (NotStartedException e) {
            throw new DispatchException(JobExitCodes.NOT_FOUND, "cannot run " + program + " locally (" + reason + "): "
                + e.getMessage() + ". Fix: set local." + request.tool().command() + " in the config to a working path");
        } catch (RuntimeException e) {
            LOG.error("dispatch(host=local) start failed unexpectedly", e);
            throw new DispatchException(JobExitCodes.PROTOCOL, "cannot run " + program + " locally: " + e
                + ". This is a bug in ffdispatch; the daemon log has the details");
        }
    }

    private Map<String, String> environment(Map<String, String> shimEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : envPassthrough) {
            String value = shimEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(fixedEnv);
        return env;
    }

    private String stateOf(long hostId) {
        String problem = hosts.problem(hostId);
        if (problem != null) {
            return "invalid (" + problem + ")";
        }
        HostHealth health = poller.health(hostId);
        return health == null ? "unknown" : health.state().name().toLowerCase() + (health.reason() == null ? "" : " (" + health.reason() + ")");
    }

    private String hostSummary() {
        List<HostLoad> loads = loadBook.snapshot();
        if (loads.isEmpty()) {
            return "no hosts configured: ffdispatch host add <address>";
        }
        return loads.stream()
            .map(h -> h.name() + "=" + (h.eligible() ? "at max_jobs" : stateOf(h.id())))
            .collect(Collectors.joining(", "));
    }
}
