package hudson.model;

public interface Action extends ModelObject {}
