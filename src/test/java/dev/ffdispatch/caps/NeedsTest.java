package dev.ffdispatch.caps;

import static dev.ffdispatch.caps.CapabilityProbesTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeedsTest {

    /** A Jellyfin HLS transcode with NVDEC decoding, CUDA filters and NVENC (10.9-style arguments). */
    @Test
    void jellyfinHardwareTranscode() {
        Needs needs = Needs.of(args("-analyzeduration", "200M", "-probesize", "1G", "-init_hw_device", "cuda=cu:0",
            "-filter_hw_device", "cu", "-hwaccel", "cuda", "-hwaccel_output_format", "cuda", "-noautorotate",
            "-c:v", "h264_cuvid", "-autorotate", "0", "-i", "file:/media/x.mkv", "-map_metadata", "-1", "-map_chapters", "-1",
            "-threads", "0", "-map", "0:0", "-map", "0:1", "-map", "-0:s", "-codec:v:0", "h264_nvenc", "-preset", "p1",
            "-b:v", "7000000", "-vf", "setparams=color_primaries=bt709,scale_cuda=format=yuv420p", "-codec:a:0", "libfdk_aac",
            "-ac", "2", "-ab", "256000", "-af", "volume=2", "-copyts", "-avoid_negative_ts", "disabled",
            "-max_muxing_queue_size", "2048", "-f", "hls", "-max_delay", "5000000", "-hls_time", "6",
            "-hls_segment_type", "mpegts", "-start_number", "0", "-hls_segment_filename", "/cache/transcodes/a%d.ts",
            "-hls_playlist_type", "vod", "-hls_list_size", "0", "-y", "/cache/transcodes/a.m3u8"));
        assertEquals(Set.of("h264_nvenc", "libfdk_aac"), needs.encoders());
        assertEquals(Set.of("h264_cuvid"), needs.decoders());
        assertEquals(Set.of("cuda"), needs.hwaccels());
        assertEquals(List.of("setparams", "scale_cuda", "volume"), List.copyOf(needs.filters()));
    }

    @Test
    void codecOptionsApplyToTheNextFile() {
        Needs needs = Needs.of(args("-c:v", "hevc_qsv", "-i", "in.mkv", "-c:v", "libx264", "-c:a", "copy", "-vcodec", "mpeg4",
            "out1.mp4", "-acodec", "aac", "-scodec", "mov_text", "-", "-c", "copy", "out3.mkv"));
        assertEquals(List.of("libx264", "mpeg4", "aac", "mov_text"), List.copyOf(needs.encoders()));
        assertEquals(Set.of("hevc_qsv"), needs.decoders());
        assertTrue(needs.hwaccels().isEmpty());
    }

    @Test
    void optionValuesAreNeverFiles() {
        // -metadata's value and -progress's URL look like outputs; they are values.
        Needs needs = Needs.of(args("-i", "in", "-metadata", "title=x", "-progress", "pipe:2", "-c:v", "libx264", "out",
            "-y", "-nostdin", "-c:a", "aac"));
        assertEquals(Set.of("libx264"), needs.encoders(), "a trailing option names no output");
    }

    @Test
    void hardwareDevices() {
        assertEquals(Set.of("vaapi", "opencl"), Needs.of(args("-init_hw_device", "vaapi=va:/dev/dri/renderD128",
            "-init_hw_device", "opencl=ocl@va", "-filter_hw_device", "ocl", "-hwaccel", "vaapi", "-i", "x", "o")).hwaccels());
        assertEquals(Set.of("qsv", "vaapi"), Needs.of(args("-qsv_device", "/dev/dri/renderD128", "-vaapi_device", "/dev/dri/x",
            "-hwaccel", "auto", "-i", "x", "o")).hwaccels());
        assertEquals(Set.of("videotoolbox"), Needs.of(args("-hwaccel", "videotoolbox", "-hwaccel", "none", "-i", "x", "o")).hwaccels());
        assertTrue(Needs.of(args("-init_hw_device", "list")).hwaccels().isEmpty());
    }

    @Test
    void lavfiInputsAndComplexGraphs() {
        Needs needs = Needs.of(args("-hide_banner", "-f", "lavfi", "-i", "nullsrc=s=1x1:d=10000", "-i", "testsrc", "-f", "null",
            "-lavfi", "[0][1]overlay_vaapi", "-filter:v:0", "yadif", "-"));
        assertEquals(List.of("nullsrc", "overlay_vaapi", "yadif"), List.copyOf(needs.filters()),
            "testsrc is a file name: its -f lavfi was consumed by the first input");
        assertTrue(needs.encoders().isEmpty());
    }

    @Test
    void plainJobsNeedNothing() {
        assertTrue(Needs.of(args("-c", "exit 0")).isEmpty(), "an option after the last file applies to no file");
        assertEquals(Set.of("exit 0"), Needs.of(args("-c", "exit 0", "out")).encoders());
        assertTrue(Needs.of(args()).isEmpty());
        assertTrue(Needs.of(args("-i", "a.mkv", "-map", "0", "-c", "copy", "b.mkv")).isEmpty());
        assertTrue(Needs.of(args("-version")).isEmpty());
        assertEquals(List.of("encoder libx264", "decoder h264_qsv", "hwaccel qsv", "filter scale_qsv"),
            Needs.of(args("-hwaccel", "qsv", "-c:v", "h264_qsv", "-i", "x", "-vf", "scale_qsv", "-c:v", "libx264", "o")).describe());
    }
}
