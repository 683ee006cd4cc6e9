package dev.sluice.control;

/**
 * A change that was made (or found already made): {@code status} 200 or 201 as the admin API
 * answers it, the state version it produced, and a line for the operator.
 */
public record Change(int status, long version, String message) {}
