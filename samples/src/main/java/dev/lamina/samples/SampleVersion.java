package dev.lamina.samples;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the samples' version, as the benchmark's peer name gives it. */
final class SampleVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"lamina-samples " + Bench.VERSION};
    }
}
