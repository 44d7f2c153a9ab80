package dev.ddbcdc.camel.options;

/** Which image is the body of a REMOVE event. */
public enum ViewOnRemove {
    /** The removed item's key attributes (a removed item has no new image beyond its keys). */
    NEW_IMAGE,
    /** The item as it was before removal; needs a stream with view type NEW_AND_OLD_IMAGES. */
    OLD_IMAGE
}
