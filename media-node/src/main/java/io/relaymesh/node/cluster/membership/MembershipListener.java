package io.relaymesh.node.cluster.membership;

/**
 * Membership changes, called on the protocol thread in the order they happen: keep it short, hand heavy work
 * elsewhere. A member is up while ALIVE or SUSPECT.
 */
public interface MembershipListener {

    /** A member became known, or came back (a restart, or a refuted false death). */
    default void memberUp(Member member) {
    }

    /** A member was declared DEAD or LEFT. */
    default void memberDown(Member member) {
    }

    /** An up member changed metadata (load, addresses) or moved between ALIVE and SUSPECT. */
    default void memberUpdated(Member member) {
    }
}
