package dev.sluice.route;

import static java.util.Objects.requireNonNull;

/**
 * ③ The one place the current {@link RouteTable} is published. Requests read it once; the control
 * plane swaps in a new snapshot atomically, and requests already in flight keep the one they read.
 */
public final class RouteTableRef {

    private volatile RouteTable current;

    public RouteTableRef(RouteTable initial) {
        this.current = requireNonNull(initial, "initial");
    }

    public RouteTable current() {
        return current;
    }

    public void swap(RouteTable next) {
        current = requireNonNull(next, "next");
    }
}
