package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathMapTest {
    @Test
    void parsesAtTheFirstEqualsAndDropsTrailingSlashes() {
        assertEquals(new PathMap("/media", "/mnt/media"), PathMap.parse("/media/=/mnt/media/"));
        assertEquals("/a=/b=c", PathMap.parse("/a=/b=c").toString());
    }

    @Test
    void bothSidesMustBeAbsolute() {
        for (String bad : new String[] {"media=/mnt", "/media=mnt", "/media", "=/x", "/x="}) {
            StoreException e = assertThrows(StoreException.class, () -> PathMap.parse(bad));
            assertEquals(StoreException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("<local>=<remote>"), e.getMessage());
        }
    }
}
