package dev.ffdispatch.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics of one series of samples (nearest-rank percentiles). */
record Stats(double[] sorted) {

    static Stats of(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples: a benchmark row ran zero times");
        }
        double[] copy = samples.clone();
        Arrays.sort(copy);
        return new Stats(copy);
    }

    static Stats of(List<? extends Number> samples) {
        return of(samples.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** Both series as one (rounds of the same measurement). */
    Stats plus(Stats other) {
        if (other == null) {
            return this;
        }
        double[] all = Arrays.copyOf(sorted, sorted.length + other.sorted.length);
        System.arraycopy(other.sorted, 0, all, sorted.length, other.sorted.length);
        return of(all);
    }

    double median() {
        return percentile(50);
    }

    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    double min() {
        return sorted[0];
    }

    int count() {
        return sorted.length;
    }
}
