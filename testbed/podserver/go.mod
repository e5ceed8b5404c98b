module k8spd.test/podserver

go 1.24
