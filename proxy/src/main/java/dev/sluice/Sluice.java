package dev.sluice;

/** Entry point. */
public final class Sluice {
    private Sluice() {}

    public static void main(String[] args) {
        System.out.println("sluice");
    }
}
