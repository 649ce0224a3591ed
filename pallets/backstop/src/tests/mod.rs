mod curve;
