/** Wiring: the executable's entry point. The only package that knows all the others. */
package io.tickvault.app;
