package dev.sluice.balance;

import java.util.List;

final class LeastRequestBalancer implements LoadBalancer {
    private final List<Backend> backends;

    LeastRequestBalancer(List<Backend> backends) {
        this.backends = List.copyOf(backends);
    }

    @Override
    public Backend pick(String hostKey) {
        return backends.isEmpty() ? null : backends.get(0);
    }

    @Override
    public List<Backend> backends() {
        return backends;
    }
}
