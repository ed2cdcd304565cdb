package dev.ffdispatch.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilterGraphTest {

    @Test
    void chainsAndFilters() {
        assertEquals(List.of("scale", "format"), FilterGraph.filterNames("scale=1280:-2,format=yuv420p"));
        assertEquals(List.of("yadif", "scale", "anull"), FilterGraph.filterNames(" yadif ; scale=w=2 ;anull"));
        assertEquals(List.of("null"), FilterGraph.filterNames("null"));
        assertEquals(List.of(), FilterGraph.filterNames(""));
    }

    /** A Jellyfin software tone-mapping chain: escaped commas inside expressions are not separators. */
    @Test
    void escapedCommasStayInsideArguments() {
        String vf = "setparams=color_primaries=bt2020:color_trc=smpte2084:colorspace=bt2020nc,"
            + "scale=trunc(min(max(iw\\,ih*a)\\,min(1920\\,1080*a))/2)*2:trunc(min(max(iw/a\\,ih)\\,min(1920/a\\,1080))/2)*2,"
            + "zscale=t=linear:npl=100,format=gbrpf32le,tonemap=tonemap=bt2390:desat=0,zscale=p=bt709:t=bt709:m=bt709,format=yuv420p";
        assertEquals(List.of("setparams", "scale", "zscale", "format", "tonemap", "zscale", "format"), FilterGraph.filterNames(vf));
    }

    @Test
    void labelsInstancesAndQuotes() {
        String complex = "[0:3]scale=1920:1080[sub];[0:0]hwupload_cuda , scale_cuda=format=yuv420p [main];"
            + "[main][sub]overlay_cuda=eof_action=pass:repeatlast=0[out]";
        assertEquals(List.of("scale", "hwupload_cuda", "scale_cuda", "overlay_cuda"), FilterGraph.filterNames(complex));
        assertEquals(List.of("drawtext", "scale"),
            FilterGraph.filterNames("drawtext@title=text='a, b; [c]':fontsize=12,scale=2:2"));
        assertEquals(List.of("subtitles"),
            FilterGraph.filterNames("subtitles=f='/media/It\\'s [x].mkv':fontsdir='/fonts'"));
        assertEquals(List.of("split", "overlay"), FilterGraph.filterNames("[in]split[a][b];[a][b]overlay"));
    }

    @Test
    void readsUpToWhereTheGraphStopsMakingSense() {
        assertEquals(List.of("scale"), FilterGraph.filterNames("scale=2:2[unclosed"));
        assertEquals(List.of(), FilterGraph.filterNames("[]scale"));
        assertEquals(List.of("scale"), FilterGraph.filterNames("scale [a] junk"));
    }
}
