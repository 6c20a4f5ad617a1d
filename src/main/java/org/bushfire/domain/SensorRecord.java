package org.bushfire.domain;

/**
 * What a source hands the job for each record it read: a reading, or a dead letter saying why it is none.
 * Exactly one of the two fields is set.
 */
public class SensorRecord {
    public Reading reading;
    public DeadLetter deadLetter;

    public SensorRecord() {}

    public static SensorRecord of(Reading reading) {
        SensorRecord r = new SensorRecord();
        r.reading = reading;
        return r;
    }

    public static SensorRecord of(DeadLetter deadLetter) {
        SensorRecord r = new SensorRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isReading() {
        return reading != null;
    }

    @Override
    public String toString() {
        return isReading() ? reading.toString() : String.valueOf(deadLetter);
    }
}
