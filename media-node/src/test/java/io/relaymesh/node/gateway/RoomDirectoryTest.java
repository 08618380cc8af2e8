package io.relaymesh.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomDirectoryTest {

    @Test
    void aRoomIsHostedUntilItsLastPlacedPublisherLeaves() {
        RoomDirectory rooms = new RoomDirectory();
        rooms.published("r", "eu-1");
        rooms.published("r", "eu-1");
        rooms.unpublished("r", "eu-1");
        assertThat(rooms.hostOf("r")).contains("eu-1");
        rooms.unpublished("r", "eu-1");
        assertThat(rooms.hostOf("r")).isEmpty();
    }

    @Test
    void aHangUpOnAnotherNodeDoesNotForgetTheRoom() {
        RoomDirectory rooms = new RoomDirectory();
        rooms.published("r", "eu-1");
        rooms.unpublished("r", "eu-2");
        assertThat(rooms.hostOf("r")).contains("eu-1");
    }

    @Test
    void aNodeGoingDownTakesItsRoomsWithIt() {
        RoomDirectory rooms = new RoomDirectory();
        rooms.published("a", "eu-1");
        rooms.published("b", "eu-2");
        rooms.nodeDown("eu-1");
        assertThat(rooms.snapshot()).containsOnlyKeys("b");
    }
}
