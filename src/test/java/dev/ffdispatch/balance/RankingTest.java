package dev.ffdispatch.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RankingTest {

    @Test
    void scoreIsTheFormulaInIntegerArithmetic() {
        assertEquals(-4, Ranking.score(0, 4));
        assertEquals(246, Ranking.score(1, 4));
        assertEquals(498, Ranking.score(1, 2));
        assertEquals(333 - 3, Ranking.score(1, 3), "integer division truncates 1000/3");
        assertEquals(Integer.MAX_VALUE * 1000L - 1, Ranking.score(Integer.MAX_VALUE, 1), "no int overflow");
    }

    @Test
    void tieOnScoreGoesToHigherWeightThenLowerId() {
        assertTrue(Ranking.compare(10, 5, 9, 10, 4, 1) < 0, "higher weight first");
        assertTrue(Ranking.compare(10, 4, 2, 10, 4, 1) > 0, "then lower id first");
        assertTrue(Ranking.compare(9, 1, 9, 10, 1000, 1) < 0, "score first of all");
        assertEquals(0, Ranking.compare(10, 4, 1, 10, 4, 1));
    }

    @Test
    void bestFirstSortsLoads() {
        List<HostLoad> loads = new ArrayList<>(List.of(
                new HostLoad(3, "c", 2, 0, true, 0, 0, -2),
                new HostLoad(1, "a", 4, 0, true, 1, 0, 246),
                new HostLoad(2, "b", 1, 0, true, 0, 0, -1),
                new HostLoad(4, "d", 2, 0, true, 0, 0, -2)));
        loads.sort(Ranking.BEST_FIRST);
        assertEquals(List.of(3L, 4L, 2L, 1L), loads.stream().map(HostLoad::id).toList());
    }

    @Property
    void moreLoadNeverScoresBetter(@ForAll @IntRange(min = 0, max = 100_000) int active,
            @ForAll @IntRange(min = 1, max = 1000) int weight) {
        assertTrue(Ranking.score(active + 1, weight) >= Ranking.score(active, weight));
    }
}
