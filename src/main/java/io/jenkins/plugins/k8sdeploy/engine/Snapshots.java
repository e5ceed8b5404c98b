package io.jenkins.plugins.k8sdeploy.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Deep copies of serializable state. A step's state is written out by Pipeline on its own thread, later than the
 * unit that asked for the save and while the next unit may be changing it; what Pipeline writes is therefore a copy
 * taken under the unit's lock, never the live object.
 */
public final class Snapshots {
    private Snapshots() {}

    /** A deep copy of {@code value} (null for null), through Java serialization. */
    @SuppressWarnings("unchecked")
    public static <T extends Serializable> T copy(T value) {
        if (value == null) {
            return null;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
                @Override
                protected Class<?> resolveClass(java.io.ObjectStreamClass desc)
                        throws IOException, ClassNotFoundException {
                    // The plugin's own class loader, not the caller's: under Jenkins the thread's may not see it.
                    try {
                        return Class.forName(desc.getName(), false, Snapshots.class.getClassLoader());
                    } catch (ClassNotFoundException e) {
                        return super.resolveClass(desc);
                    }
                }
            }) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + value.getClass().getName(), e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy " + value.getClass().getName(), e);
        }
    }
}
