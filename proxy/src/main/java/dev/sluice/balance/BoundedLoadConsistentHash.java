package dev.sluice.balance;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ④ Consistent hashing of the host key with bounded loads (Mirrokni, Thorup, Zadimoghaddam,
 * "Consistent Hashing with Bounded Loads"; HAProxy's {@code hash-balance-factor}). A host sticks
 * to its backend, so that backend's caches and connections stay warm, until the backend carries
 * more than {@code 1 + epsilon} times its weighted share of the requests in flight; then the host
 * spills clockwise round the ring to the next backend with room. Backends that are not
 * {@linkplain Backend#available() available} are passed over as if they were not on the ring, so
 * only their hosts move, and move back when they return.
 */
final class BoundedLoadConsistentHash implements LoadBalancer {

    /**
     * Ring points per unit of weight: a backend's share of the ring then deviates from its
     * weight's share by about 10% / sqrt(weight) (one standard deviation).
     */
    static final int POINTS_PER_WEIGHT = 100;

    private final List<Backend> backends;
    private final double epsilon;
    /** The ring: point hashes in ascending order, and the index in {@link #backends} of each point's owner. */
    private final long[] points;
    private final int[] owners;

    BoundedLoadConsistentHash(List<Backend> backends, double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "consistent hash balance factor " + epsilon + " must be greater than 0 (0.25 lets a backend"
                            + " take 25% more than its share of the requests in flight)");
        }
        this.backends = List.copyOf(backends);
        this.epsilon = epsilon;
        int totalWeight = this.backends.stream().mapToInt(Backend::weight).sum();

        record Point(long hash, String authority, int owner) {}
        List<Point> ring = new ArrayList<>(totalWeight * POINTS_PER_WEIGHT);
        for (int owner = 0; owner < this.backends.size(); owner++) {
            Endpoint endpoint = this.backends.get(owner).endpoint();
            String authority = endpoint.authority();
            for (int i = 0; i < endpoint.weight() * POINTS_PER_WEIGHT; i++) {
                ring.add(new Point(XxHash64.hash(authority + "#" + i), authority, owner));
            }
        }
        // Ordered by hash and authority only, never by list position: the same backends in any
        // order make the same ring.
        ring.sort(Comparator.comparingLong(Point::hash).thenComparing(Point::authority));
        this.points = ring.stream().mapToLong(Point::hash).toArray();
        this.owners = ring.stream().mapToInt(Point::owner).toArray();
    }

    @Override
    public Backend pick(String hostKey) {
        requireNonNull(hostKey, "hostKey");
        // Shares are of the available backends' weight and load: the others take no requests
        long inFlight = 0;
        int weight = 0;
        for (Backend backend : backends) {
            if (backend.available()) {
                inFlight += backend.inFlight();
                weight += backend.weight();
            }
        }
        if (weight == 0) {
            return null;
        }
        // Capacity counts the request being placed, so the totals always leave one backend room.
        double share = (1 + epsilon) * (inFlight + 1) / weight;
        // Clockwise from the key to the first available backend with room. Checking an owner
        // again when more of its points come is cheaper than allocating a set of those tried.
        int first = ceiling(XxHash64.hash(hostKey));
        Backend own = null;
        int point = first;
        do {
            Backend backend = backends.get(owners[point]);
            if (backend.available()) {
                if (hasRoom(backend, share)) {
                    return backend;
                }
                own = own == null ? backend : own;
            }
            point = next(point);
        } while (point != first);
        // Only when begin() and end() on other threads moved the loads under the walk: the
        // capacities add up to more than the load, so some backend has room.
        return own;
    }

    @Override
    public List<Backend> backends() {
        return backends;
    }

    /**
     * Below its capacity, {@code ceil((1 + epsilon) * (inFlight + 1) * weight / totalWeight)} of
     * the available backends.
     */
    private static boolean hasRoom(Backend backend, double share) {
        return backend.inFlight() < Math.ceil(share * backend.weight());
    }

    /** The first point at or after {@code hash}, wrapping round past the last. */
    private int ceiling(long hash) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[mid] < hash) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }

    private int next(int point) {
        return point + 1 == points.length ? 0 : point + 1;
    }
}
