package hudson;

public final class FilePath {
    private FilePath() {}
}
