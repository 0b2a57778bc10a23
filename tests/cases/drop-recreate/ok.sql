CREATE TABLE tmp (a int);
DROP TABLE tmp;
CREATE TABLE tmp (a int);
DROP TABLE old_a;
CREATE TABLE new_b (id int);
