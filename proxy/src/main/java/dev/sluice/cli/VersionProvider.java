package dev.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code sluice --version}: the version the jar was built as, and the Java running it. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {
            "sluice " + (v == null ? "(development build)" : v),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
