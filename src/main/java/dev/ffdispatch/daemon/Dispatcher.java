package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.balance.Reservation;
import dev.ffdispatch.caps.Capabilities;
import dev.ffdispatch.caps.CapabilityProbes;
import dev.ffdispatch.caps.Needs;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.exec.Executor;
import dev.ffdispatch.exec.JobSink;
import dev.ffdispatch.exec.JobSpec;
import dev.ffdispatch.exec.NotStartedException;
import dev.ffdispatch.exec.RunningJob;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.HostRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a job where it should run: a worker chosen by the balancer among those its routing rule
 * and its needs allow, the next candidate when one fails before the job started, then this
 * machine when the configuration allows it. A job that has started is never started again. A
 * capability probe is answered from the profile of the host the balancer would choose, and runs
 * nothing ({@link #answer}).
 *
 * <p>When workers could take a job but none has what its arguments name, it runs here if this
 * machine's ffmpeg has it all, else on the best worker as it would without profiles, with one
 * line on stderr naming what is missing. Arguments are never changed.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final HostBook loadBook;
    private final HostDirectory hosts;
    private final Poller poller;
    private final Router router;
    private final Routes routes;
    private final ProfileKeeper profiles;
    private final LocalTools localTools;
    private final Executor localExecutor;
    private final boolean fallbackEnabled;
    private final List<String> envPassthrough;
    private final Map<String, String> fixedEnv;
    private final Waker waker;

    /** @param profiles null when {@code routing.capabilities} is off: no answers from profiles, no narrowing */
    Dispatcher(HostBook loadBook, HostDirectory hosts, Poller poller, Router router, Routes routes, ProfileKeeper profiles,
               LocalTools localTools, Executor localExecutor, boolean fallbackEnabled, List<String> envPassthrough,
               Map<String, String> fixedEnv, Waker waker) {
        this.waker = waker;
        this.loadBook = loadBook;
        this.hosts = hosts;
        this.poller = poller;
        this.router = router;
        this.routes = routes;
        this.profiles = profiles;
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
     * @param tee keeps a capability probe's answer for the profile once it ends; null for other jobs
     */
    record Started(RunningJob job, String host, Reservation reservation, FallbackKind fallback, String fallbackReason,
                   ProbeTee tee) {
        void release() {
            if (reservation != null) {
                reservation.release();
            }
        }

        /** The job ended with {@code exitCode} (as the shim is told). */
        void ended(int exitCode) {
            if (tee != null) {
                tee.ended(exitCode);
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

    /**
     * What routing reads of one request, worked out once for both {@link #answer} and
     * {@link #start}: its command line (for patterns and the job's history), the capability probe
     * it is (null for none), and the configured rule or routing rule that decides where it may go.
     *
     * @param localRule the configuration's reason to keep it here, or null
     * @param rule the first routing rule that matches, or null
     */
    record Plan(JobRequest request, String commandLine, String probe, String localRule, Routes.Rule rule) {
    }

    Plan plan(JobRequest request) {
        String commandLine = Router.joined(request.args());
        String probe = profiles == null ? null : CapabilityProbes.key(request.args());
        return new Plan(request, commandLine, probe, router.localRule(request.tool(), commandLine), routes.match(commandLine));
    }

    /**
     * The answer to a capability probe, byte-exact as the binary on the host that would run it
     * printed it; null when the request is no probe, or has to run (no profile has the answer,
     * the binary changed, no host would take it).
     */
    ProbeAnswer answer(Plan plan) {
        if (plan.probe() == null) {
            return null;
        }
        Tool tool = plan.request().tool();
        Routes.Rule rule = plan.rule();
        if (plan.localRule() != null || rule != null && rule.workers().isEmpty()) {
            return profiles.localAnswer(tool, plan.probe());
        }
        Optional<HostLoad> best = loadBook.unavailable().isPresent() ? Optional.empty() : loadBook.peek(routed(rule));
        if (best.isPresent()) {
            WorkerHost host = hosts.host(best.get().id());
            return host == null ? null : profiles.answer(host, tool, plan.probe());
        }
        return localAllowed(rule) ? profiles.localAnswer(tool, plan.probe()) : null;
    }

    Started start(Plan plan, JobSink sink) throws DispatchException {
        JobRequest request = plan.request();
        Map<String, String> env = environment(request.environment());
        String probe = plan.probe();
        if (plan.localRule() != null) {
            return startLocal(request, env, sink, FallbackKind.ROUTING, plan.localRule(), probe);
        }
        Routes.Rule rule = plan.rule();
        if (rule != null && rule.workers().isEmpty()) {
            return startLocal(request, env, sink, FallbackKind.ROUTING, rule.describe() + " sends it here", probe);
        }
        Needs needs = profiles == null || probe != null || request.tool() != Tool.FFMPEG ? Needs.NONE : Needs.of(request.args());
        waker.jobDispatched(hosts.all());
        Attempt attempt = new Attempt(request, env, sink, probe);
        LongPredicate routed = routed(rule);
        Started started = attempt.onWorkers(id -> routed.test(id) && capable(id, needs));
        if (started != null) {
            return started;
        }
        if (!needs.isEmpty() && loadBook.peek(id -> routed.test(id) && !attempt.excluded.contains(id)).isPresent()) {
            Capabilities local = profiles.localCapabilities();
            boolean localHasAll = local != null && local.missing(needs).isEmpty();
            if (localHasAll && localAllowed(rule)) {
                return startLocal(request, env, sink, FallbackKind.CAPABILITIES, "no worker that can take it now has "
                    + String.join(", ", needs.describe()) + "; this machine's ffmpeg has", probe);
            }
            String here = local == null ? "this machine's ffmpeg is not known either"
                : localHasAll ? "this machine's ffmpeg has it, but local.fallback is off"
                : "nor has this machine's ffmpeg";
            attempt.notice = host -> "no worker that can take this job now has " + String.join(", ", missing(host, needs))
                + " (" + here + "); running it on " + host.record().name() + " anyway";
            started = attempt.onWorkers(routed);
            if (started != null) {
                return started;
            }
        }
        String why = attempt.failures.length() > 0 ? "workers failed before start (" + attempt.failures + ")"
            : loadBook.unavailable().orElseGet(() -> rule != null
                ? rule.describe() + ": none of its workers can take it (" + hostSummary(rule) + ")"
                : "no worker can take it (" + hostSummary(null) + ")");
        if (!localAllowed(rule)) {
            throw new DispatchException(JobExitCodes.NO_HOST, "cannot run " + request.tool().command() + ": " + why
                + "; local fallback is off. Fix: bring a worker up (ffdispatch status), or set local.fallback: true");
        }
        return startLocal(request, env, sink, FallbackKind.NO_WORKER, why, probe);
    }

    /** One job's tries on workers: hosts that failed it before it started are not tried again. */
    private final class Attempt {
        final JobRequest request;
        final Map<String, String> env;
        final JobSink sink;
        final String probe;
        final Set<Long> excluded = new HashSet<>();
        final StringBuilder failures = new StringBuilder();
        /** A line for stderr before the first start, about the host it goes to; null for none. */
        Function<WorkerHost, String> notice;

        Attempt(JobRequest request, Map<String, String> env, JobSink sink, String probe) {
            this.request = request;
            this.env = env;
            this.sink = sink;
            this.probe = probe;
        }

        /** Started on the best worker {@code allowed} accepts, or null when none is left. */
        Started onWorkers(LongPredicate allowed) throws DispatchException {
            LongPredicate candidate = id -> allowed.test(id) && !excluded.contains(id);
            for (Optional<Reservation> next = loadBook.reserve(candidate); next.isPresent(); next = loadBook.reserve(candidate)) {
                Reservation reservation = next.get();
                WorkerHost host = hosts.host(reservation.hostId());
                if (host == null) { // removed between reservation and lookup
                    reservation.release();
                    excluded.add(reservation.hostId());
                    continue;
                }
                if (notice != null) {
                    tell(sink, notice.apply(host));
                    notice = null;
                }
                ProbeTee tee = tee(host, request.tool(), probe, sink);
                JobSpec spec = new JobSpec(host.program(request.tool()), request.args(), request.workingDirectory(), env);
                try {
                    RunningJob job = host.executor().start(spec, tee == null ? sink : tee.sink());
                    return new Started(job, host.record().name(), reservation, null, null, tee);
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
            return null;
        }
    }

    private Started startLocal(JobRequest request, Map<String, String> env, JobSink sink, FallbackKind kind, String reason,
                               String probe) throws DispatchException {
        String program = localTools.path(request.tool());
        ProbeTee tee = tee(null, request.tool(), probe, sink);
        try {
            JobSpec spec = new JobSpec(program, request.args(), request.workingDirectory(), env);
            return new Started(localExecutor.start(spec, tee == null ? sink : tee.sink()), HostRecord.LOCAL, null, kind, reason, tee);
        } catch (NotStartedException e) {
            throw new DispatchException(JobExitCodes.NOT_FOUND, "cannot run " + program + " locally (" + reason + "): "
                + e.getMessage() + ". Fix: set local." + request.tool().command() + " in the config to a working path");
        } catch (RuntimeException e) {
            LOG.error("dispatch(host=local) start failed unexpectedly", e);
            throw new DispatchException(JobExitCodes.PROTOCOL, "cannot run " + program + " locally: " + e
                + ". This is a bug in ffdispatch; the daemon log has the details");
        }
    }

    /** A probe run as a job (its answer not known yet) is kept for the profile of where it ran. */
    private ProbeTee tee(WorkerHost host, Tool tool, String probe, JobSink sink) {
        return probe == null ? null : new ProbeTee(sink, profiles.learnFromRun(host, tool, probe));
    }

    private LongPredicate routed(Routes.Rule rule) {
        return rule == null ? id -> true : id -> rule.allows(hosts.host(id));
    }

    private boolean localAllowed(Routes.Rule rule) {
        return fallbackEnabled || rule != null && rule.local();
    }

    private boolean capable(long hostId, Needs needs) {
        if (needs.isEmpty()) {
            return true;
        }
        WorkerHost host = hosts.host(hostId);
        return host != null && profiles.canRun(host, needs);
    }

    private List<String> missing(WorkerHost host, Needs needs) {
        Capabilities caps = profiles.capabilities(host);
        return caps == null ? needs.describe() : caps.missing(needs);
    }

    private static void tell(JobSink sink, String line) {
        try {
            sink.stderr().write(("ffdispatch: " + line + "\n").getBytes(StandardCharsets.UTF_8));
            sink.stderr().flush();
        } catch (IOException e) {
            // the shim is gone; the job's own fate is decided elsewhere
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

    private String hostSummary(Routes.Rule rule) {
        List<HostLoad> loads = loadBook.snapshot();
        if (loads.isEmpty()) {
            return "no hosts configured: ffdispatch host add <address>";
        }
        if (rule != null) {
            loads = loads.stream().filter(h -> rule.workers().contains(h.name())).toList();
            if (loads.isEmpty()) {
                return "it names no host that exists";
            }
        }
        return loads.stream()
            .map(h -> h.name() + "=" + (h.eligible() ? "at max_jobs" : stateOf(h.id())))
            .collect(Collectors.joining(", "));
    }
}
