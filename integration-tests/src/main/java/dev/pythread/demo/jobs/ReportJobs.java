package dev.pythread.demo.jobs;

/**
 * The demo server's background "report jobs", in a package of their own so that a thread policy can tell them from
 * the server: each job runs on a thread of its own and fails.
 */
public final class ReportJobs {

    private ReportJobs() {
    }

    /**
     * Starts report job {@code job} on a new thread named {@code report-job-N}, which dies of an
     * {@code IllegalStateException}.
     *
     * @throws SecurityException if a thread policy denies the start
     */
    public static void start(int job) {
        new Thread(() -> {
            throw new IllegalStateException("report job " + job + " failed");
        }, "report-job-" + job).start();
    }
}
