/**
 * The {@code tickvault} command line (picocli). Commands are thin: parse options, call one
 * service, print the result; data to stdout, diagnostics to stderr. Exit codes are in
 * {@link io.tickvault.cli.ExitCodes}; errors are mapped once, by
 * {@link io.tickvault.cli.CliExceptionHandler}. Entry point for code and tests:
 * {@link io.tickvault.cli.Cli#create}.
 */
package io.tickvault.cli;
